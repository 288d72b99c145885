-- The measures table and the Star Ratings measures the sample endpoints use: HEDIS measures
-- in the Medicare Part C Star Ratings, with their CMS weights (outcome and
-- intermediate-outcome measures count three times).
CREATE TABLE measures (
  code varchar(8) PRIMARY KEY,
  name text NOT NULL,
  domain text NOT NULL,
  weight numeric(3, 1) NOT NULL CONSTRAINT measures_weight_positive CHECK (weight > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO measures (code, name, domain, weight) VALUES
  ('BCS', 'Breast Cancer Screening', 'Staying Healthy', 1),
  ('COL', 'Colorectal Cancer Screening', 'Staying Healthy', 1),
  ('CBP', 'Controlling High Blood Pressure', 'Managing Chronic Conditions', 3),
  ('EED', 'Eye Exam for Patients With Diabetes', 'Managing Chronic Conditions', 1),
  ('GSD', 'Glycemic Status Assessment for Patients With Diabetes', 'Managing Chronic Conditions', 3),
  ('OMW', 'Osteoporosis Management in Women Who Had a Fracture', 'Managing Chronic Conditions', 1),
  ('PCR', 'Plan All-Cause Readmissions', 'Managing Chronic Conditions', 3),
  ('SPC', 'Statin Therapy for Patients With Cardiovascular Disease', 'Managing Chronic Conditions', 1),
  ('TRC', 'Transitions of Care', 'Managing Chronic Conditions', 1),
  ('FMC', 'Follow-up after ED Visit for People With Multiple High-Risk Chronic Conditions', 'Managing Chronic Conditions', 1);
