import { UsageError } from './errors';

/** A container image reference, split into its parts. */
export interface ImageRef {
  /** As given. */
  readonly raw: string;
  /** Registry and repository, without tag or digest: `123.dkr.ecr.us-east-1.amazonaws.com/app`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:...` */
  readonly digest?: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
// [host[:port]/]path where each path component is lowercase with single separators.
const REPOSITORY = /^(?:[A-Za-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** Parses an image reference, or returns why it is not acceptable (for `flag`). */
export function parseImage(raw: string, flag = '--image'): ImageRef | string {
  const value = raw.trim();
  if (value === '') {
    return `${flag} is empty; pass the image to deploy, for example ${flag} 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-service:1.4.2`;
  }
  let name = value;
  let digest: string | undefined;
  const at = value.indexOf('@');
  if (at >= 0) {
    name = value.slice(0, at);
    digest = value.slice(at + 1);
    if (!DIGEST.test(digest)) {
      return `${flag} "${raw}" has a malformed digest "${digest}"; a digest is sha256: followed by 64 lowercase hex digits`;
    }
  }
  let repository = name;
  let tag: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    repository = name.slice(0, colon);
    tag = name.slice(colon + 1);
    if (!TAG.test(tag)) {
      return `${flag} "${raw}" has a malformed tag "${tag}"; a tag is 1-128 letters, digits, underscores, periods or hyphens`;
    }
  }
  if (!REPOSITORY.test(repository)) {
    return `${flag} "${raw}" is not an image reference; expected [registry/]repository:tag with a lowercase repository, for example my-service:1.4.2`;
  }
  if (!tag && !digest) {
    return `${flag} "${raw}" has no tag; pass the tag you built and pushed, for example ${flag} ${repository}:1.4.2 (or a digest, ${repository}@sha256:...)`;
  }
  if (tag === 'latest' && !digest) {
    return `${flag} "${raw}" uses the mutable tag "latest"; pass an immutable tag such as the git commit SHA, so that rollback and the image-tag parameter name one image`;
  }
  return { raw: value, repository, tag, digest };
}

/** Like `parseImage`, but throws the problem as a usage error. */
export function parseImageOrThrow(raw: string, flag = '--image'): ImageRef {
  const parsed = parseImage(raw, flag);
  if (typeof parsed === 'string') {
    throw new UsageError(parsed);
  }
  return parsed;
}

/**
 * What the stack's image-tag parameter holds for this image: the digest when there is one
 * (it pins exactly the image that was deployed), else the tag.
 */
export function imageVersion(image: ImageRef): string {
  return image.digest ?? image.tag ?? '';
}

/**
 * The repository of an image string found in a task definition. Lenient: task definitions
 * may hold references this tool would refuse to deploy (an untagged image), and they still
 * need comparing.
 */
export function repositoryOf(image: string): string {
  const name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

/** The tag or digest of an image string found in a task definition, if it has one. */
export function versionOf(image: string): string | undefined {
  const [name, digest] = image.split('@');
  if (digest) {
    return digest;
  }
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

/**
 * Splits a command line into arguments the way a POSIX shell would (single quotes, double
 * quotes, backslash escapes), without running a shell: the container may not have one.
 * Returns a string (the problem) when the line cannot be split.
 */
export function splitCommandLine(line: string, flag: string): string[] | string {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | '\'' | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === '\'') {
      if (ch === '\'') {
        quote = undefined;
      } else {
        current += ch;
      }
      continue;
    }
    if (quote === '"') {
      if (ch === '"') {
        quote = undefined;
      } else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
        current += line[++i];
      } else {
        current += ch;
      }
      continue;
    }
    if (ch === '\'' || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) {
        args.push(current);
        current = '';
        inWord = false;
      }
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) {
    return `${flag} "${line}" has an unterminated ${quote === '"' ? 'double' : 'single'} quote; close it or escape it with a backslash`;
  }
  if (inWord) {
    args.push(current);
  }
  if (args.length === 0) {
    return `${flag} is empty; pass the command to run, for example ${flag} "alembic upgrade head"`;
  }
  return args;
}
