import {existsSync} from 'node:fs';
import {DockerClient} from '../adapters/docker/docker-client.js';
import {DockerReader} from '../adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../adapters/docker/endpoint.js';
import type {WalkPool} from '../adapters/fs/walk-pool.js';
import type {EngineSnapshot, RuntimeInfo} from '../domain/types.js';
import {EngineError} from '../adapters/engine-error.js';
import {scanDocker, type DockerScanOptions} from './docker-scan.js';

export type RuntimeChoice = 'docker' | 'cri' | 'auto';

export interface EngineFlags {
	runtime?: string;
	host?: string;
	runtimeEndpoint?: string;
	timeout: number;
	dfTimeout?: number;
}

/** One connected engine, read-only: it can scan, nothing else. */
export interface EngineSource {
	kind: 'docker' | 'cri';
	endpoint: string;
	scan(options: Omit<DockerScanOptions, 'pool'> & {pool: WalkPool}): Promise<EngineSnapshot>;
	docker?: DockerReader;
	/** CRI only: the client (read and, through services/mutations only, remove) and the runtime's id. */
	cri?: {client: import('../adapters/cri/cri-client.js').CriClient; id: string};
	close(): void;
}

function dockerSource(flags: EngineFlags): EngineSource & {connect(): Promise<void>} {
	const reader = new DockerReader(new DockerClient(resolveDockerEndpoint(flags.host), flags.timeout * 1000));
	/** What connecting read: the first scan uses it instead of asking /info and /version again. */
	let connected: Promise<RuntimeInfo> | undefined;
	return {
		kind: 'docker',
		endpoint: reader.client.endpoint.display,
		docker: reader,
		async connect() {
			connected = reader.runtime();
			await connected;
		},
		scan: options => {
			const runtime = connected;
			connected = undefined;
			return scanDocker(reader, {...options, runtime});
		},
		close: () => {},
	};
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
	const error = new EngineError(`no CRI runtime answers (${DEFAULT_CRI_ENDPOINTS.map(e => `${e}: no socket`).join('; ')})`, 'NO_ENDPOINT');
	return Object.assign(error, {hint: 'pass --runtime-endpoint or set CONTAINER_RUNTIME_ENDPOINT'});
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

/**
 * Connects the engines asked for. With `auto`, every engine that answers is used and
 * the ones that do not are noted; it fails only when none answers.
 */
export async function connectEngines(flags: EngineFlags): Promise<{sources: EngineSource[]; notes: string[]}> {
	const choice = (flags.runtime ?? 'auto') as RuntimeChoice;
	if (choice === 'docker') {
		const docker = dockerSource(flags);
		await docker.connect();
		return {sources: [docker], notes: []};
	}
	if (choice === 'cri') return {sources: [await criSource(flags)], notes: []};
	const attempts = await Promise.allSettled([
		(async () => {
			const docker = dockerSource(flags);
			await docker.connect();
			return docker;
		})(),
		criSource(flags),
	]);
	const sources = attempts.flatMap(a => (a.status === 'fulfilled' ? [a.value] : []));
	const message = (a: PromiseSettledResult<unknown>) => {
		if (a.status !== 'rejected') return '';
		const {message: text, hint} = a.reason as Error & {hint?: string};
		return text.split('\n')[0]! + (hint ? ` (hint: ${hint})` : '');
	};
	const [docker, cri] = attempts.map(message);
	if (sources.length === 0) {
		// The engine the operator named explicitly is the one whose error they need to see.
		const dockerNamed = Boolean(flags.host || process.env.DOCKER_HOST);
		const criNamed = Boolean(flags.runtimeEndpoint || process.env.CONTAINER_RUNTIME_ENDPOINT);
		const [dockerAttempt, criAttempt] = attempts as Array<PromiseRejectedResult>;
		if (dockerNamed && !criNamed) throw dockerAttempt!.reason;
		if (criNamed && !dockerNamed) throw criAttempt!.reason;
		throw new EngineError(`no container engine answered. Docker: ${docker} CRI: ${cri}`, 'NO_ENGINE');
	}
	// An engine the operator named but that did not answer is worth a note; an absent default is not.
	const notes: string[] = [];
	if (docker && (flags.host || process.env.DOCKER_HOST)) notes.push(`Docker skipped: ${docker}`);
	if (cri && (flags.runtimeEndpoint || process.env.CONTAINER_RUNTIME_ENDPOINT)) notes.push(`CRI skipped: ${cri}`);
	return {sources, notes};
}
