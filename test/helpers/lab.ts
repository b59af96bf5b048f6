import {inject} from 'vitest';
import Docker from 'dockerode';
import type {ContainerRecord} from '../../source/domain/types.js';

/** The private lab started by globalSetup. Throws (never skips) when it is missing. */
export function lab() {
	const value = inject('lab');
	if (!value) throw new Error('no lab: integration tests need the private engines (unset LAYERSCOPE_SKIP_LAB)');
	return value;
}

export function labDocker(): Docker {
	return new Docker({socketPath: lab().dockerHost.replace('unix://', '')});
}

export const busybox = 'layerscope.local/busybox:latest';

/** Runs a container to completion or leaves it running (detached), returning its id. */
export async function runContainer(docker: Docker, name: string, script: string, options: {wait?: boolean; binds?: string[]; labels?: Record<string, string>; image?: string} = {}): Promise<string> {
	await docker
		.getContainer(name)
		.remove({force: true})
		.catch(() => {});
	const container = await docker.createContainer({
		name,
		Image: options.image ?? busybox,
		Cmd: ['sh', '-c', script],
		Labels: options.labels,
		HostConfig: {NetworkMode: 'none', Binds: options.binds},
	});
	await container.start();
	if (options.wait) await container.wait();
	return container.id;
}

/** Polls `probe` until it gives a value; on timeout the error carries `show()` (a tmux screen, say) so a failure can be read. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000, show?: () => string): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > until) {
			let seen = '';
			try {
				seen = show ? `; last seen:\n${show()}` : '';
			} catch {}
			throw new Error(`timed out waiting for ${what}${seen}`);
		}
		await new Promise(resolve => setTimeout(resolve, 250));
	}
}

/** A lab container (run to completion) as the engine adapter would record it, for drilling it directly. */
export async function stoppedContainerRecord(id: string): Promise<ContainerRecord> {
	const info: any = await labDocker().getContainer(id).inspect();
	const data = info.GraphDriver.Data;
	return {
		engine: 'docker',
		id: info.Id,
		name: info.Name.slice(1),
		image: info.Config.Image,
		imageId: info.Image,
		state: 'exited',
		labels: {},
		writableBytes: null,
		writableAllocatedBytes: null,
		writableInodes: null,
		sizeSource: 'pending',
		logPath: null,
		logBytes: 0,
		upperDir: data.UpperDir,
		lowerDirs: data.LowerDir.split(':'),
	};
}
