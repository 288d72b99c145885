/**
 * A blueprint is the data that makes one kind of service: how its image is built and started,
 * how it is tested and migrated, and the sample service written once into `app/`.
 * Adding a kind of service means adding one file in this folder that exports a `Blueprint`
 * and listing it in `index.ts`.
 *
 * The runtime contract every sample app honours (the stack, compose, the task definition
 * and the tests set these variables; nothing else is read) is `RUNTIME_VARIABLES` in
 * `core/runtime-contract.ts`: names, order and meaning.
 */
export interface Blueprint {
  /** Identifier used by the `blueprint` option, e.g. `python-api`. */
  readonly id: string;
  /** One line for docs. */
  readonly description: string;
  /** Language and runtime, for docs (e.g. `Python 3.11`). */
  readonly runtime: string;
  /** Default base image, pinned to a version tag; never `latest`. */
  readonly baseImage: string;
  /** Default container port. */
  readonly containerPort: number;
  /** Default health path. */
  readonly healthCheckPath: string;
  /** Folder under `src/templates/samples/` holding the sample `app/` files. */
  readonly sampleDir: string;
  /** Dependency manifests copied first in the builder stage, for layer caching. */
  readonly dependencyFiles: string[];
  /** Builder-stage commands that install dependencies (run after copying `dependencyFiles`). */
  readonly installCommands: string[];
  /** Builder-stage commands run after the sources are copied (compile, prune). */
  readonly buildCommands: string[];
  /** Paths (relative to the app folder) copied from the builder into the runtime stage. */
  readonly runtimePaths: string[];
  /** Exec-form command that starts the server in the container. */
  readonly startCommand: string[];
  /** Shell command that applies database migrations, run in the image. */
  readonly migrateCommand: string;
  /**
   * Command (from `app/`, with the app's dependencies installed) of the sample's API key tool:
   * `issue`, `retire` and `list` read the API keys document on stdin (see the rotation runbook).
   */
  readonly apiKeyToolCommand: string;
  /** Shell command that runs the app's tests (from `app/`). */
  readonly testCommand: string;
  /** Shell command that lints the app (from `app/`). */
  readonly lintCommand: string;
  /** Command run by the container HEALTHCHECK; `{{port}}` and `{{path}}` are filled in. */
  readonly healthCheckCommand: string[];
}
