import type { GenericContainer, StartedTestContainer } from 'testcontainers';
import { onFreePort, PortTakenError } from './child-process';

/** A started testcontainer with the stop/start/kill control that fault tests need. */
export interface ContainerService {
  readonly host: string;
  readonly port: number;
  /** Stops the container, keeping its filesystem (the service's data). */
  halt(): Promise<void>;
  /** Starts the halted container again on the same host port. */
  resume(): Promise<void>;
  /** SIGKILLs the service, keeping the container's filesystem. */
  kill(): Promise<void>;
  /** Stops and removes the container. */
  remove(): Promise<void>;
}

/**
 * Starts a container whose `containerPort` is bound to a fixed free host port, so that a restart
 * keeps the URL (a random binding may change when Docker restarts a container).
 */
export async function startContainer(
  containerPort: number,
  build: (testcontainers: typeof import('testcontainers')) => GenericContainer,
): Promise<ContainerService> {
  const testcontainers = await import('testcontainers');
  const started = await onFreePort(async (port) => {
    try {
      return {
        port,
        container: await build(testcontainers)
          .withExposedPorts({ container: containerPort, host: port })
          .start(),
      };
    } catch (err) {
      if (/port is already allocated|address already in use/i.test(String(err))) {
        throw new PortTakenError(String(err));
      }
      throw err;
    }
  });
  return controlled(started.container, started.port, testcontainers);
}

function controlled(
  container: StartedTestContainer,
  port: number,
  testcontainers: typeof import('testcontainers'),
): ContainerService {
  const docker = async () =>
    (await testcontainers.getContainerRuntimeClient()).container.getById(container.getId());
  let running = true;
  return {
    host: container.getHost(),
    port,
    async halt() {
      if (running) await (await docker()).stop({ t: 10 });
      running = false;
    },
    async resume() {
      if (!running) await (await docker()).start();
      running = true;
    },
    async kill() {
      if (running) await (await docker()).kill({ signal: 'SIGKILL' });
      running = false;
    },
    async remove() {
      running = false;
      await container.stop({ remove: true, timeout: 0 });
    },
  };
}
