import {existsSync, realpathSync} from 'node:fs';
import {DockerClient} from '../adapters/docker/docker-client.js';
import {DockerReader} from '../adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../adapters/docker/endpoint.js';
import {EngineError} from '../adapters/engine-error.js';
import {errorHint, errorLine, formatError} from '../domain/operator-error.js';
import {connectPodman, podmanFromDockerPath} from './podman-engines.js';

export type RuntimeChoice = 'docker' | 'cri' | 'podman' | 'auto';

import {type EngineFlags, type EngineSource, readerSource} from './engine-source.js';

export type {EngineFlags, EngineSource} from './engine-source.js';
export {readerSource} from './engine-source.js';

/** --host, DOCKER_HOST or /var/run/docker.sock; a Podman socket there is recognised and read as Podman. */
async function dockerSource(flags: EngineFlags): Promise<EngineSource> {
	const client = new DockerClient(resolveDockerEndpoint(flags.host), flags.timeout * 1000);
	const reader = new DockerReader(client);
	const prefetched = flags.prefetched?.socketPath !== undefined && flags.prefetched.socketPath === client.endpoint.socketPath ? flags.prefetched : undefined;
	const runtime = await reader.runtime(prefetched);
	return runtime.kind === 'podman' ? podmanFromDockerPath(client) : readerSource(reader, 'docker', runtime);
}

/**
 * With no endpoint named, crictl's default sockets are tried in turn; where none of them
 * exists the answer is known without loading gRPC (most of `report`'s start-up on a
 * Docker-only node): the same error resolveCriEndpoint gives.
 */
async function noCriSocket(flags: EngineFlags): Promise<EngineError | null> {
	if (flags.runtimeEndpoint?.trim() || process.env.CONTAINER_RUNTIME_ENDPOINT?.trim()) return null;
	const {DEFAULT_CRI_ENDPOINTS, criSocketPath} = await import('../adapters/cri/cri-defaults.js');
	const paths = DEFAULT_CRI_ENDPOINTS.map(endpoint => criSocketPath(endpoint));
	if (paths.some(path => path === null || existsSync(path))) return null;
	return new EngineError(`no CRI runtime answers (${DEFAULT_CRI_ENDPOINTS.map(e => `${e}: no socket`).join('; ')})`, 'pass --runtime-endpoint or set CONTAINER_RUNTIME_ENDPOINT', 'NO_ENDPOINT');
}

async function criSource(flags: EngineFlags): Promise<EngineSource> {
	const absent = await noCriSocket(flags);
	if (absent) throw absent;
	// The CRI modules (grpc) load only when a CRI engine is wanted.
	const {CriClient, resolveCriEndpoint, readCriSnapshot} = await import('../adapters/cri/index.js');
	const endpoint = await resolveCriEndpoint(flags.runtimeEndpoint);
	const client = CriClient.connect(endpoint, {timeoutMs: flags.timeout * 1000});
	const version = await client.version();
	return {
		kind: 'cri',
		endpoint,
		cri: {client, id: version.runtimeName || 'cri'},
		async scan() {
			const snapshot = await readCriSnapshot(client);
			const sandboxIds = new Set(snapshot.cri.sandboxImageIds);
			for (const image of snapshot.images) if (sandboxIds.has(image.id)) image.sandbox = true;
			return snapshot;
		},
		close: () => client.close(),
	};
}

/** The same socket reached twice (docker.sock linked to podman.sock): keep the first. Engine ids stay unique. */
function distinct(sources: EngineSource[]): EngineSource[] {
	const seen = new Set<string>();
	const out: EngineSource[] = [];
	for (const source of sources) {
		const socket = source.docker?.client.endpoint.socketPath;
		let key = source.endpoint;
		try {
			if (socket) key = `unix://${realpathSync(socket)}`;
		} catch {
			// gone since: keep its name
		}
		if (seen.has(key)) continue;
		seen.add(key);
		out.push(source);
	}
	const ids = new Set<string>();
	for (const source of out) {
		if (!source.docker) continue;
		let id = source.docker.engineId;
		for (let n = 2; ids.has(id); n++) id = `${source.docker.engineId}-${n}`;
		source.docker.engineId = id;
		ids.add(id);
	}
	return out;
}

/**
 * Connects the engines asked for. With `auto`, every engine that answers is used (Docker,
 * CRI and every Podman service found) and the ones that do not are noted; it fails only
 * when none answers.
 */
export async function connectEngines(flags: EngineFlags): Promise<{sources: EngineSource[]; notes: string[]}> {
	const choice = (flags.runtime ?? 'auto') as RuntimeChoice;
	if (choice === 'docker') return {sources: [await dockerSource(flags)], notes: []};
	if (choice === 'cri') return {sources: [await criSource(flags)], notes: []};
	if (choice === 'podman') return connectPodman(flags, {required: true});
	const podmanNamed = Boolean(flags.podmanHost || process.env.CONTAINER_HOST);
	const attempts = await Promise.allSettled([dockerSource(flags), criSource(flags), connectPodman(flags, {required: podmanNamed})]);
	const [dockerAttempt, criAttempt, podmanAttempt] = attempts;
	const sources = distinct([
		...(dockerAttempt.status === 'fulfilled' ? [dockerAttempt.value] : []),
		...(criAttempt.status === 'fulfilled' ? [criAttempt.value] : []),
		...(podmanAttempt.status === 'fulfilled' ? podmanAttempt.value.sources : []),
	]);
	const message = (a: PromiseSettledResult<unknown>) => (a.status === 'rejected' ? formatError(a.reason) : '');
	const docker = message(dockerAttempt);
	const cri = message(criAttempt);
	const podman = message(podmanAttempt);
	if (sources.length === 0) {
		// The engine the operator named explicitly is the one whose error they need to see.
		const dockerNamed = Boolean(flags.host || process.env.DOCKER_HOST);
		const criNamed = Boolean(flags.runtimeEndpoint || process.env.CONTAINER_RUNTIME_ENDPOINT);
		const named = [dockerNamed && dockerAttempt, criNamed && criAttempt, podmanNamed && podmanAttempt].filter(Boolean) as PromiseRejectedResult[];
		if (named.length === 1) throw named[0]!.reason;
		const reasons = attempts.map(a => (a.status === 'rejected' ? a.reason : undefined));
		const [dockerReason, criReason, podmanReason] = reasons;
		throw new EngineError(
			`no container engine answered. Docker: ${errorLine(dockerReason)}; CRI: ${errorLine(criReason)}; Podman: ${podmanReason ? errorLine(podmanReason) : 'no socket found'}`,
			reasons.map(errorHint).filter(Boolean).join('; ') || 'start dockerd, containerd or the Podman service, or name one with --host, --runtime-endpoint or --podman-host',
			'NO_ENGINE',
		);
	}
	// An engine the operator named but that did not answer is worth a note; an absent default is not.
	const notes: string[] = [];
	if (docker && (flags.host || process.env.DOCKER_HOST)) notes.push(`Docker skipped: ${docker}`);
	if (cri && (flags.runtimeEndpoint || process.env.CONTAINER_RUNTIME_ENDPOINT)) notes.push(`CRI skipped: ${cri}`);
	if (podman && podmanNamed) notes.push(`Podman skipped: ${podman}`);
	if (podmanAttempt.status === 'fulfilled') notes.push(...podmanAttempt.value.notes);
	return {sources, notes};
}
