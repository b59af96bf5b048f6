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

/** What answered, and what is worth a note about what did not. */
export interface Connected {
	sources: EngineSource[];
	notes: string[];
}

/**
 * Connects the engines asked for. With `auto`, every engine that answers is used (Docker,
 * CRI and every Podman service found) and the ones that do not are noted; it fails only
 * when none answers.
 */
export async function connectEngines(flags: EngineFlags): Promise<Connected> {
	const {first, late} = await connectEnginesProgressively(flags, Infinity);
	const rest = await late;
	return {sources: [...first.sources, ...rest.sources], notes: [...first.notes, ...rest.notes]};
}

/**
 * As connectEngines, without waiting for the slowest engine: `first` holds what answered
 * within `graceMs` of the first engine's answer (everything, when all answer by then), and
 * `late` what answers after (never rejects; a duplicate of a first source is closed). A
 * Podman service whose /info takes seconds on a busy node must not hold back the console's
 * first figures (issue 18). Fails, as connectEngines, only when none answers.
 */
export async function connectEnginesProgressively(flags: EngineFlags, graceMs: number): Promise<{first: Connected; late: Promise<Connected>}> {
	const choice = (flags.runtime ?? 'auto') as RuntimeChoice;
	const none: Promise<Connected> = Promise.resolve({sources: [], notes: []});
	if (choice === 'docker') return {first: {sources: [await dockerSource(flags)], notes: []}, late: none};
	if (choice === 'cri') return {first: {sources: [await criSource(flags)], notes: []}, late: none};
	if (choice === 'podman') return {first: await connectPodman(flags, {required: true}), late: none};
	const podmanNamed = Boolean(flags.podmanHost || process.env.CONTAINER_HOST);
	const pending = [dockerSource(flags).then(source => ({sources: [source], notes: []})), criSource(flags).then(source => ({sources: [source], notes: []})), connectPodman(flags, {required: podmanNamed})];
	const settled: Array<PromiseSettledResult<Connected> | undefined> = [undefined, undefined, undefined];
	const tracked = pending.map((attempt, i) =>
		attempt.then(
			value => {
				settled[i] = {status: 'fulfilled', value};
			},
			reason => {
				settled[i] = {status: 'rejected', reason};
			},
		),
	);
	// Every attempt settled, or one answered and the grace after it is over.
	await new Promise<void>(resolve => {
		let timer: NodeJS.Timeout | undefined;
		void Promise.all(tracked).then(() => {
			clearTimeout(timer);
			resolve();
		});
		if (!Number.isFinite(graceMs)) return;
		void Promise.any(pending).then(
			() => {
				timer = setTimeout(resolve, graceMs);
				timer.unref?.();
			},
			() => {},
		);
	});
	const early = settled.slice();
	const attempts = early.map(a => a ?? ({status: 'rejected', reason: undefined} as PromiseRejectedResult));
	const sources = distinct(attempts.flatMap(a => (a.status === 'fulfilled' ? a.value.sources : [])));
	if (sources.length === 0) throw noEngine(flags, attempts, podmanNamed);
	// The same socket reached twice: the copy kept nowhere is closed.
	for (const a of attempts) if (a.status === 'fulfilled') for (const source of a.value.sources) if (!sources.includes(source)) source.close();
	const first = {sources, notes: notesOf(flags, early, podmanNamed)};
	const late = Promise.all(tracked).then(() => {
		const latecomers = settled.map((a, i) => (early[i] ? undefined : a));
		const all = distinct([...sources, ...latecomers.flatMap(a => (a?.status === 'fulfilled' ? a.value.sources : []))]);
		const added = all.filter(source => !sources.includes(source));
		for (const a of latecomers) if (a?.status === 'fulfilled') for (const source of a.value.sources) if (!added.includes(source)) source.close();
		return {sources: added, notes: notesOf(flags, latecomers, podmanNamed)};
	});
	return {first, late};
}

/** The error when no engine answered: the one the operator named, or all three reasons. */
function noEngine(flags: EngineFlags, attempts: PromiseSettledResult<Connected>[], podmanNamed: boolean): unknown {
	const [dockerAttempt, criAttempt, podmanAttempt] = attempts;
	// The engine the operator named explicitly is the one whose error they need to see.
	const dockerNamed = Boolean(flags.host || process.env.DOCKER_HOST);
	const criNamed = Boolean(flags.runtimeEndpoint || process.env.CONTAINER_RUNTIME_ENDPOINT);
	const named = [dockerNamed && dockerAttempt, criNamed && criAttempt, podmanNamed && podmanAttempt].filter(Boolean) as PromiseRejectedResult[];
	if (named.length === 1) return named[0]!.reason;
	const reasons = attempts.map(a => (a.status === 'rejected' ? a.reason : undefined));
	const [dockerReason, criReason, podmanReason] = reasons;
	return new EngineError(
		`no container engine answered. Docker: ${errorLine(dockerReason)}; CRI: ${errorLine(criReason)}; Podman: ${podmanReason ? errorLine(podmanReason) : 'no socket found'}`,
		reasons.map(errorHint).filter(Boolean).join('; ') || 'start dockerd, containerd or the Podman service, or name one with --host, --runtime-endpoint or --podman-host',
		'NO_ENGINE',
	);
}

/** Notes on these attempts (undefined: not settled, or not this part): an engine the operator named but that did not answer is worth one; an absent default is not. */
function notesOf(flags: EngineFlags, attempts: Array<PromiseSettledResult<Connected> | undefined>, podmanNamed: boolean): string[] {
	const message = (a: PromiseSettledResult<unknown> | undefined) => (a?.status === 'rejected' ? formatError(a.reason) : '');
	const [dockerAttempt, criAttempt, podmanAttempt] = attempts;
	const docker = message(dockerAttempt);
	const cri = message(criAttempt);
	const podman = message(podmanAttempt);
	const notes: string[] = [];
	if (docker && (flags.host || process.env.DOCKER_HOST)) notes.push(`Docker skipped: ${docker}`);
	if (cri && (flags.runtimeEndpoint || process.env.CONTAINER_RUNTIME_ENDPOINT)) notes.push(`CRI skipped: ${cri}`);
	if (podman && podmanNamed) notes.push(`Podman skipped: ${podman}`);
	if (podmanAttempt?.status === 'fulfilled') notes.push(...podmanAttempt.value.notes);
	return notes;
}
