import { imageVersion, parseImage, repositoryOf, splitCommandLine, versionOf } from '../../src/cli/image';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImage', () => {
  test.each([
    ['hedis-optimizer:1.4.2', { repository: 'hedis-optimizer', tag: '1.4.2' }],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/hedis-optimizer:3f2c1ab', { repository: '123456789012.dkr.ecr.us-east-1.amazonaws.com/hedis-optimizer', tag: '3f2c1ab' }],
    ['localhost:5000/team/app:v1_2', { repository: 'localhost:5000/team/app', tag: 'v1_2' }],
    [`app@${DIGEST}`, { repository: 'app', digest: DIGEST }],
    [`app:1.0@${DIGEST}`, { repository: 'app', tag: '1.0', digest: DIGEST }],
    [`app:latest@${DIGEST}`, { repository: 'app', tag: 'latest', digest: DIGEST }],
  ])('reads %s', (raw, parts) => {
    expect(parseImage(raw)).toMatchObject({ raw, ...parts });
  });

  test('the parameter value is the digest when there is one, else the tag', () => {
    expect(imageVersion(parseImage(`app:1.0@${DIGEST}`) as any)).toBe(DIGEST);
    expect(imageVersion(parseImage('app:1.0') as any)).toBe('1.0');
  });

  test('reads repository and version of images found in task definitions, untagged ones included', () => {
    expect(repositoryOf('localhost:5000/app')).toBe('localhost:5000/app');
    expect(versionOf('localhost:5000/app')).toBeUndefined();
    expect(repositoryOf('localhost:5000/app:2')).toBe('localhost:5000/app');
    expect(versionOf('localhost:5000/app:2')).toBe('2');
    expect(versionOf(`app:2@${DIGEST}`)).toBe(DIGEST);
  });

  test('fails when the image is empty', () => {
    expect(parseImage(' ')).toBe('--image is empty; pass the image to deploy, for example --image 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-service:1.4.2');
  });

  test('fails when the tag is malformed', () => {
    expect(parseImage('app:-x')).toBe('--image "app:-x" has a malformed tag "-x"; a tag is 1-128 letters, digits, underscores, periods or hyphens');
  });
});

describe('splitCommandLine', () => {
  test.each([
    ['alembic upgrade head', ['alembic', 'upgrade', 'head']],
    ['  python  -m app.migrate  ', ['python', '-m', 'app.migrate']],
    ['sh -c "alembic upgrade head && echo done"', ['sh', '-c', 'alembic upgrade head && echo done']],
    ["echo 'it''s' \"a \\\"b\\\"\" c\\ d", ['echo', 'its', 'a "b"', 'c d']],
    ['printf ""', ['printf', '']],
  ])('splits %s like a shell', (line, args) => {
    expect(splitCommandLine(line, '--command')).toEqual(args);
  });

  test('fails when a single quote is unterminated', () => {
    expect(splitCommandLine("echo 'x", '--command')).toBe('--command "echo \'x" has an unterminated single quote; close it or escape it with a backslash');
  });
});
