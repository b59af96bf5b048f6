/**
 * What each engine kind calls things, in one place (data, not branches over screens):
 * the guide, the advice, help, report and markdown read their commands, flags and
 * settings from here, so a CRI node never reads a Docker command and a Docker node
 * never reads a kubelet setting. CRI-O is a CRI engine: it takes the `cri` words.
 */
import type {EngineKind} from './types.js';

export interface EngineWords {
	kind: EngineKind;
	/** The engine's own name for a short sentence ("Docker", "the CRI runtime", "Podman"). */
	engine: string;
	/** The command that shows writable-layer sizes, and the column it shows them in. */
	sizeCommand: string;
	/** How that command prints one container's sizes (guide step 3), from writable and virtual bytes as text. */
	sizeLine: (writable: string, virtual: string) => string;
	/** What the size figure means and what not to add up (guide step 3). */
	sizeExplain: string;
	/** What the report's writable figures compare with, on this engine's own tools. */
	sizeCompare: string;
	/** Lists containers (without sizes). */
	listCommand: string;
	/** Where the engine keeps container logs, and who rotates them. */
	logWhere: string;
	/** Capping the engine's container log files. */
	logRotation: string;
	/** A container that logs into files inside its writable layer. */
	logsInLayer: string;
	/** Data written into the writable layer (a database). */
	dataMount: string;
	/** Caches and temp files in the writable layer. */
	scratchMount: string;
	/** A large mutable image file copied up. */
	copyUpFix: string;
	/** Redesigns in general, for the guide's step 5. */
	redesignExamples: string;
	/** Removing unused images by hand. */
	imagePrune: string;
	/** Removing stopped containers by hand. */
	containerPrune: string;
	/** The drill-down's one-line class explanations where this engine's fix differs from the generic one (domain/classify.ts). */
	classNotes: Partial<Record<'logs' | 'temp' | 'database' | 'package-cache', string>>;
}

export const engineWords: Record<EngineKind, EngineWords> = {
	docker: {
		kind: 'docker',
		engine: 'Docker',
		sizeCommand: 'docker ps -s',
		sizeLine: (writable, virtual) => `SIZE ${writable} (virtual ${virtual})`,
		sizeExplain:
			'docker ps -s prints two sizes. SIZE is the writable layer: the bytes this container wrote itself. "virtual" adds the image\'s read-only layers, which are stored once and shared by every container of that image. Never add up virtual sizes: the shared layers would be counted again for each container.',
		sizeCompare: 'writable = SIZE of docker ps -s',
		listCommand: 'docker ps -a',
		logWhere: "Docker's json-file logs under /var/lib/docker/containers/<id>",
		logRotation: 'set --log-opt max-size=10m --log-opt max-file=3 (json-file or local driver, or log-opts in daemon.json), and log less',
		logsInLayer: 'log to stdout/stderr (or mount a volume on the log directory) and cap the json-file driver with max-size/max-file',
		dataMount: 'mount a named volume on the data directory',
		scratchMount: 'mount a tmpfs there with a size= limit (or clean the cache in the image build)',
		copyUpFix: 'keep the mutable file out of the image: put it on a volume and seed it at start-up',
		redesignExamples: 'logs go to stdout or a volume, data to a volume, builds clean up in the same RUN',
		imagePrune: 'docker image prune -a',
		containerPrune: 'docker container prune',
		classNotes: {},
	},
	cri: {
		kind: 'cri',
		engine: 'the CRI runtime',
		sizeCommand: 'crictl stats',
		sizeLine: writable => `DISK ${writable} (the writable layer only)`,
		sizeExplain:
			"crictl stats prints DISK: the container's writable layer, the bytes it wrote itself (the kubelet's Summary API reports the same as the container's rootfs usage in ephemeral storage). The image's read-only layers are not in it: they are stored once and shared by every container of that image (crictl images lists them). Never add image sizes to each container: the shared layers would be counted again for each one.",
		sizeCompare: 'writable = DISK of crictl stats, as the runtime measures it (the image is not in it)',
		listCommand: 'crictl ps -a',
		logWhere: "the kubelet's container logs under /var/log/pods",
		logRotation: 'lower containerLogMaxSize / containerLogMaxFiles in the kubelet config (logs under /var/log/pods), and log less',
		logsInLayer: 'log to stdout/stderr: the kubelet keeps those under /var/log/pods and rotates them by containerLogMaxSize / containerLogMaxFiles (or mount an emptyDir with sizeLimit on the log directory)',
		dataMount: 'put the data directory on a PersistentVolume',
		scratchMount: "mount an emptyDir with sizeLimit there and count it in the pod's ephemeral-storage requests/limits (or clean the cache in the image build)",
		copyUpFix: 'keep the mutable file out of the image: put it on an emptyDir or a PersistentVolume and seed it from an init container',
		redesignExamples: 'logs go to stdout (the kubelet rotates /var/log/pods), data to a PersistentVolume, scratch to an emptyDir with sizeLimit, builds clean up in the same RUN',
		imagePrune: 'crictl rmi --prune',
		containerPrune: 'crictl rm (stopped containers; the kubelet removes dead ones itself)',
		classNotes: {
			logs: 'log file inside the container: it grows until the container is removed; log to stdout (the kubelet rotates /var/log/pods) or an emptyDir with sizeLimit',
			temp: 'temporary files: safe to delete, or mount an emptyDir with sizeLimit at /tmp',
			database: 'database files in the writable layer: they belong on a PersistentVolume',
			'package-cache': 'package-manager cache left in the layer: clean it in the same RUN step, or keep it on an emptyDir with sizeLimit',
		},
	},
	podman: {
		kind: 'podman',
		engine: 'Podman',
		sizeCommand: 'podman ps -s',
		sizeLine: (writable, virtual) => `SIZE ${writable} (virtual ${virtual})`,
		sizeExplain:
			'podman ps -s prints two sizes. SIZE is the writable layer: the bytes this container wrote itself. "virtual" adds the image\'s read-only layers, which are stored once and shared by every container of that image. Never add up virtual sizes: the shared layers would be counted again for each container.',
		sizeCompare: 'writable = SIZE of podman ps -s',
		listCommand: 'podman ps -a',
		logWhere: "Podman's container logs (k8s-file under its storage, or journald)",
		logRotation: 'set --log-opt max-size=10m on podman run (k8s-file driver), or log_size_max in containers.conf, and log less',
		logsInLayer: 'log to stdout/stderr (or mount a volume on the log directory) and cap the logs with --log-opt max-size (k8s-file) or log_size_max in containers.conf',
		dataMount: 'mount a named volume on the data directory (podman volume create)',
		scratchMount: 'mount a tmpfs there with a size= limit (or clean the cache in the image build)',
		copyUpFix: 'keep the mutable file out of the image: put it on a volume and seed it at start-up',
		redesignExamples: 'logs go to stdout or a volume, data to a volume, builds clean up in the same RUN',
		imagePrune: 'podman image prune -a',
		containerPrune: 'podman container prune',
		classNotes: {},
	},
};

/** The words for an engine kind (unknown kinds read Docker's, the API most engines speak). */
export function wordsFor(kind: EngineKind | undefined): EngineWords {
	return engineWords[kind ?? 'docker'] ?? engineWords.docker;
}

/** Words that belong to one engine kind only: a CRI subject must never show Docker's, nor a Docker subject CRI's. */
export const engineOnlyWords: Record<'docker' | 'cri', readonly string[]> = {
	docker: ['docker ps', 'docker system', 'docker image prune', 'docker container prune', 'json-file', '--log-opt', 'daemon.json', 'named volume'],
	cri: ['crictl', 'containerLogMaxSize', 'containerLogMaxFiles', '/var/log/pods', 'emptyDir', 'ephemeral-storage', 'PersistentVolume', 'kubelet'],
};
