import type {DockerClient} from './docker-client.js';

/** One entry of GET /containers/{id}/changes, as `docker diff` prints it. */
export interface EngineChange {
	path: string;
	kind: 'A' | 'C' | 'D';
}

/** X-Docker-Container-Path-Stat of HEAD /containers/{id}/archive?path=… */
export interface EnginePathStat {
	name: string;
	size: number;
	/** Go os.FileMode bits: 1<<31 is a directory. */
	mode: number;
	mtime: string;
	linkTarget: string;
}

const kinds = ['C', 'A', 'D'] as const;
const opts = (options: Record<string, unknown>) => options;

/** Read-only calls for the drill-down fallback without host access. Every call has the client's deadline. */
export class DockerChanges {
	constructor(readonly client: DockerClient) {}

	/** Resolves a name or (partial) id to the full id, or null when the engine knows no such container. */
	async resolve(nameOrId: string): Promise<string | null> {
		try {
			const info = await this.client.call<any>(`inspect container ${nameOrId.slice(0, 64)}`, (d: any, abortSignal) => d.getContainer(nameOrId).inspect(opts({abortSignal})));
			return info.Id as string;
		} catch (error) {
			if ((error as {code?: string}).code === 'NOT_FOUND') return null;
			throw error;
		}
	}

	async changes(id: string): Promise<EngineChange[]> {
		const list = await this.client.call<any>(`changes of ${id.slice(0, 12)}`, (d: any, abortSignal) => d.getContainer(id).changes(opts({abortSignal})));
		return ((list ?? []) as Array<{Path: string; Kind: number}>).map(c => ({path: c.Path, kind: kinds[c.Kind] ?? 'C'}));
	}

	/** Stat of one path inside the container through the engine, or null when it does not exist. */
	async pathStat(id: string, path: string): Promise<EnginePathStat | null> {
		try {
			return await this.client.call<EnginePathStat | null>(`stat ${id.slice(0, 12)}:${path.slice(0, 200)}`, async (d: any, abortSignal) => {
				const res: any = await d.getContainer(id).infoArchive(opts({path, abortSignal}));
				const header = res?.headers?.['x-docker-container-path-stat'];
				res?.destroy?.();
				if (!header) return null;
				return JSON.parse(Buffer.from(String(header), 'base64').toString('utf8')) as EnginePathStat;
			});
		} catch (error) {
			if ((error as {code?: string}).code === 'NOT_FOUND') return null;
			throw error;
		}
	}
}
