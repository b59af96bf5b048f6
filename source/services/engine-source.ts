/**
 * What a connected engine is to the rest of layerscope (a read-only source that can scan), and
 * the engine flags. Apart from engines.ts so the per-engine connectors (podman-engines.ts) need
 * not import the module that imports them.
 */
import type {DockerReader} from '../adapters/docker/docker-reader.js';
import type {WalkPool} from '../adapters/fs/walk-pool.js';
import type {EngineKind, EngineSnapshot, RuntimeInfo} from '../domain/types.js';
import {scanDocker, type DockerScanOptions} from './docker-scan.js';

export interface EngineFlags {
	runtime?: string;
	host?: string;
	podmanHost?: string;
	runtimeEndpoint?: string;
	timeout: number;
	dfTimeout?: number;
	/** /version and /info asked for at start-up (launch-command.ts), used when they are this Docker endpoint's. */
	prefetched?: import('../adapters/docker/runtime-prefetch.js').PrefetchedRuntime;
}

/** One connected engine, read-only: it can scan, nothing else. */
export interface EngineSource {
	kind: EngineKind;
	endpoint: string;
	scan(options: Omit<DockerScanOptions, 'pool'> & {pool: WalkPool}): Promise<EngineSnapshot>;
	/** Docker, and Podman through its Docker-compatible API (a PodmanReader then). */
	docker?: DockerReader;
	/** CRI only: the client (read and, through services/mutations only, remove) and the runtime's id. */
	cri?: {client: import('../adapters/cri/cri-client.js').CriClient; id: string};
	close(): void;
}

/**
 * A Docker-API engine as a source; its kind is what /version said (Podman answers there too).
 * `runtime` is what connecting read: the first scan uses it instead of asking /info and /version again.
 */
export function readerSource(reader: DockerReader, kind: EngineKind, runtime?: RuntimeInfo): EngineSource {
	let connected: Promise<RuntimeInfo> | undefined = runtime ? Promise.resolve(runtime) : undefined;
	return {
		kind,
		endpoint: reader.client.endpoint.display,
		docker: reader,
		scan: options => {
			const first = connected;
			connected = undefined;
			return scanDocker(reader, {...options, runtime: first});
		},
		close: () => {},
	};
}
