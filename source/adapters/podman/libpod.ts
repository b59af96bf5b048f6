import Docker from 'dockerode';
import {unixSocketAgent} from '../docker/unix-agent.js';
import type {DockerClient} from '../docker/docker-client.js';

/**
 * The few calls Docker's compatible API has no answer for, made on Podman's own libpod
 * API (/v4.0.0/libpod/...; Podman 4.x serves it on the same socket). Everything else
 * layerscope reads from Podman goes through the Docker-compatible API and dockerode.
 * Read-only: no call here changes anything.
 */

/** /libpod/containers/json entry (the fields read here). */
export interface LibpodContainer {
	Id: string;
	Names?: string[];
	Image?: string;
	ImageID?: string;
	State?: string;
	Created?: string;
	Pod?: string;
	PodName?: string;
	IsInfra?: boolean;
}

export interface LibpodPod {
	Id: string;
	Name: string;
	InfraId?: string;
	Namespace?: string;
	Containers?: Array<{Id: string; Names?: string; Status?: string}>;
}

/** /libpod/info, the parts that say whose storage this is and how its layers are mounted. */
export interface LibpodInfo {
	rootless: boolean;
	graphRoot?: string;
	runRoot?: string;
	graphDriver?: string;
	/** fuse-overlayfs (or another mount program) when overlay is mounted through FUSE. */
	mountProgram?: string;
	volumePath?: string;
}

const prefix = '/v4.0.0/libpod';

export class Libpod {
	private readonly modem: any;

	constructor(readonly client: DockerClient) {
		// A handle of its own, without DOCKER_API_VERSION's /v1.xx prefix: libpod paths carry their own version.
		const {socketPath, host, port, protocol} = client.endpoint;
		this.modem = (new Docker({socketPath, host, port, protocol, ...(socketPath ? {agent: unixSocketAgent()} : {})}) as any).modem;
	}

	private get<T>(what: string, path: string, query: Record<string, unknown> = {}): Promise<T> {
		return this.client.call<T>(
			what,
			(_docker, abortSignal) =>
				new Promise<T>((resolve, reject) =>
					this.modem.dial({path: `${prefix}${path}?`, method: 'GET', options: query, abortSignal, statusCodes: {200: true, 404: 'not found', 500: 'server error'}}, (error: Error | null, data: T) => (error ? reject(error) : resolve(data))),
				),
		);
	}

	/** libpod GET /containers/json?all=true: carries Pod, PodName and IsInfra, which the compatible list lacks. */
	containers(): Promise<LibpodContainer[]> {
		return this.get<LibpodContainer[] | null>('list containers (libpod)', '/containers/json', {all: true}).then(list => list ?? []);
	}

	/**
	 * libpod GET /containers/json?all=true&external=true: adds containers Podman did not
	 * create but that live in its storage (Buildah's working containers), State "storage".
	 */
	externalContainers(): Promise<LibpodContainer[]> {
		return this.get<LibpodContainer[] | null>('list external containers (libpod)', '/containers/json', {all: true, external: true}).then(list => (list ?? []).filter(c => c.State === 'storage'));
	}

	/** libpod GET /pods/json: pods with their infra container id. */
	pods(): Promise<LibpodPod[]> {
		return this.get<LibpodPod[] | null>('list pods (libpod)', '/pods/json').then(list => list ?? []);
	}

	/** libpod GET /info: rootless or not, graph root, driver and mount program. */
	async info(): Promise<LibpodInfo> {
		const info = await this.get<any>('info (libpod)', '/info');
		const store = info?.store ?? {};
		const options = store.graphOptions ?? {};
		const program = options['overlay.mount_program']?.Executable ?? options['overlay.mount_program'];
		return {
			rootless: Boolean(info?.host?.security?.rootless),
			graphRoot: store.graphRoot,
			runRoot: store.runRoot,
			graphDriver: store.graphDriverName,
			mountProgram: typeof program === 'string' ? program : undefined,
			volumePath: store.volumePath,
		};
	}
}
