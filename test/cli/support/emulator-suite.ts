import { FaultProxy } from './fault-proxy';
import { Emulator, setAwsTestEnvironment } from './fixture';
import { Moto, startMoto } from './moto';

/** The emulator of one test file: moto_server, the fault proxy in front of it, and direct clients. */
export interface EmulatorSuite {
  readonly moto: Moto;
  readonly proxy: FaultProxy;
  readonly emulator: Emulator;
}

/**
 * Starts moto_server on 127.0.0.1 and the fault proxy for the test file (beforeAll) and stops
 * them after it (afterAll). Read the fields inside tests and hooks, once they are started.
 */
export function useEmulator(): EmulatorSuite {
  const suite: { moto?: Moto; proxy?: FaultProxy; emulator?: Emulator } = {};
  beforeAll(async () => {
    setAwsTestEnvironment();
    suite.moto = await startMoto();
    suite.proxy = await FaultProxy.start(suite.moto.endpoint);
    suite.emulator = new Emulator(suite.moto.endpoint);
  });
  afterAll(async () => {
    suite.emulator?.destroy();
    await suite.proxy?.stop();
    await suite.moto?.stop();
  });
  return {
    get moto() {
      return suite.moto!;
    },
    get proxy() {
      return suite.proxy!;
    },
    get emulator() {
      return suite.emulator!;
    },
  };
}
