import {buildConsoleServices} from '../services/build-console-services.js';
import type {ConsoleServices} from '../services/console-services.js';
import type {EngineSource} from '../services/engines.js';
import {resolveReadOnly, type ReadOnlyMode} from '../services/read-only.js';

export interface ConsoleActionFlags {
	readOnly?: boolean;
	auditLog?: string;
	/** The "Other files" breakdown: walk this root instead of the filesystem's mount point. */
	otherRoot?: string;
	kubeletRoot?: string;
	kubeletConfig?: string;
}

/**
 * The console's services for every connected engine: Docker and CRI removals go through
 * the one mutation service. Read-only mode is decided once, before any service exists
 * (pass the decision the first frame showed); in read-only mode buildConsoleServices
 * constructs no mutation service and opens no audit log.
 */
export async function consoleServicesForSources(sources: EngineSource[], flags: ConsoleActionFlags, readOnly: ReadOnlyMode = resolveReadOnly(flags.readOnly)): Promise<ConsoleServices> {
	const rootDirs = new Map<string, string | undefined>();
	for (const {docker} of sources) {
		if (!docker || readOnly.on) continue;
		// Where statfs measures what a cleanup reclaimed; unknown when the engine does not answer.
		rootDirs.set(
			docker.engineId,
			await docker.runtime().then(
				r => r.rootDir,
				() => undefined,
			),
		);
	}
	// The kubelet's thresholds, read where the header reads them: unused CRI images are the kubelet's to collect.
	const {resolveKubeletEviction} = await import('../adapters/kubelet-config.js');
	const thresholds = resolveKubeletEviction({configPath: flags.kubeletConfig}).thresholds;
	return buildConsoleServices(sources, {readOnly, auditLog: flags.auditLog, rootDirs, otherRoot: flags.otherRoot, kubeletRoot: flags.kubeletRoot, thresholds});
}
