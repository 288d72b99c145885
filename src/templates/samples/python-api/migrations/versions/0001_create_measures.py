"""Create the measures table and load the Star Ratings measures the sample endpoints use.

Revision ID: 0001
Revises:
Create Date: 2025-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# HEDIS measures in the Medicare Part C Star Ratings, with their CMS weights
# (outcome and intermediate-outcome measures count three times).
MEASURES = [
    ("BCS", "Breast Cancer Screening", "Staying Healthy", 1),
    ("COL", "Colorectal Cancer Screening", "Staying Healthy", 1),
    ("CBP", "Controlling High Blood Pressure", "Managing Chronic Conditions", 3),
    ("EED", "Eye Exam for Patients With Diabetes", "Managing Chronic Conditions", 1),
    ("GSD", "Glycemic Status Assessment for Patients With Diabetes", "Managing Chronic Conditions", 3),
    ("OMW", "Osteoporosis Management in Women Who Had a Fracture", "Managing Chronic Conditions", 1),
    ("PCR", "Plan All-Cause Readmissions", "Managing Chronic Conditions", 3),
    ("SPC", "Statin Therapy for Patients With Cardiovascular Disease", "Managing Chronic Conditions", 1),
    ("TRC", "Transitions of Care", "Managing Chronic Conditions", 1),
    (
        "FMC",
        "Follow-up after ED Visit for People With Multiple High-Risk Chronic Conditions",
        "Managing Chronic Conditions",
        1,
    ),
]


def upgrade() -> None:
    measures = op.create_table(
        "measures",
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("domain", sa.Text(), nullable=False),
        sa.Column("weight", sa.Numeric(3, 1), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("weight > 0", name="measures_weight_positive"),
    )
    op.bulk_insert(
        measures,
        [{"code": c, "name": n, "domain": d, "weight": w} for c, n, d, w in MEASURES],
    )


def downgrade() -> None:
    op.drop_table("measures")
