import {DockerClient} from '../adapters/docker/docker-client.js';
import {EngineError} from '../adapters/engine-error.js';
import {podmanCandidates, socketOwner, type PodmanCandidate} from '../adapters/podman/podman-endpoint.js';
import {PodmanReader} from '../adapters/podman/podman-reader.js';
import {rootlessStores} from '../adapters/podman/rootless-stores.js';
import {type EngineFlags, type EngineSource, readerSource} from './engine-source.js';

const idFor = (user?: {name: string}) => (user ? `podman-${user.name}` : 'podman');

/** Podman reached where Docker was expected (`--host unix://…/podman.sock`): read as Podman, libpod included. */
export async function podmanFromDockerPath(client: DockerClient): Promise<EngineSource> {
	const podmanClient = new DockerClient({...client.endpoint, engine: 'Podman'}, client.timeoutMs);
	const user = client.endpoint.socketPath ? socketOwner(client.endpoint.socketPath) : undefined;
	const reader = new PodmanReader(podmanClient, idFor(user), user);
	await reader.runtime();
	return readerSource(reader, 'podman');
}

async function connectOne(candidate: PodmanCandidate, timeoutMs: number): Promise<EngineSource> {
	const reader = new PodmanReader(new DockerClient(candidate.endpoint, timeoutMs), idFor(candidate.user), candidate.user);
	const runtime = await reader.runtime();
	return readerSource(reader, runtime.kind);
}

/**
 * Every Podman service found (see podmanCandidates): the rootful one and, as root, each
 * user's rootless one; as another user, that user's own. With `required`, finding none
 * (or none answering) is the error; otherwise Podman is simply absent. Rootless stores
 * with no service running are named in the notes with what can be said without it.
 */
export async function connectPodman(flags: EngineFlags, options: {required: boolean}): Promise<{sources: EngineSource[]; notes: string[]}> {
	const candidates = podmanCandidates(flags.podmanHost);
	const attempts = await Promise.allSettled(candidates.map(c => connectOne(c, flags.timeout * 1000)));
	const sources = attempts.flatMap(a => (a.status === 'fulfilled' ? [a.value] : []));
	const failed = attempts.flatMap((a, i) => (a.status === 'rejected' ? [{candidate: candidates[i]!, error: a.reason as Error}] : []));
	const explicit = failed.find(f => f.candidate.explicit);
	if (explicit) throw explicit.error;
	if (sources.length === 0 && options.required) {
		if (failed[0]) throw failed[0].error;
		throw new EngineError(
			'no Podman socket found at /run/podman/podman.sock or /run/user/<uid>/podman/podman.sock. Start it (systemctl start podman.socket, or systemctl --user start podman.socket) or pass --podman-host unix:///path/to/podman.sock.',
			'NO_ENGINE',
		);
	}
	const notes = failed.map(f => `Podman at ${f.candidate.endpoint.display} skipped: ${f.error.message.split('\n')[0]}`);
	const served = new Set(sources.flatMap(s => (s.docker instanceof PodmanReader && s.docker.user ? [s.docker.user.uid] : [])));
	for (const store of rootlessStores()) {
		if (served.has(store.uid)) continue;
		notes.push(
			`rootless Podman storage of ${store.user} at ${store.graphRoot} has no running service, so its containers are not listed (its bytes are counted under other files, f, as rootless Podman storage): start it as ${store.user} (systemctl --user start podman.socket)`,
		);
	}
	return {sources, notes};
}
