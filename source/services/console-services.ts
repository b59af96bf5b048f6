/**
 * What the console's screens may call besides the sampling feed. Types only: the UI
 * imports this file without pulling in engine clients. Built by cli/run-console.ts.
 */
import type {ContainerClasses, Suggestion} from '../domain/advise.js';
import type {DrillProgress, DrillTree} from '../domain/drill-model.js';
import type {PodStorage} from '../domain/pod-ephemeral-advice.js';
import type {ContainerRecord, NodeSnapshot} from '../domain/types.js';
import type {LoadedImage} from './image-explorer.js';
import type {MutationService} from './mutations.js';
import type {ReadOnlyMode} from './read-only.js';
import type {OtherFilesBreakdown, OtherFilesOptions} from './other-files.js';

export interface ConsoleServices {
	/** Decided at start-up and frozen. */
	readOnly: ReadOnlyMode;
	/**
	 * The only way to remove anything. null in read-only mode: the service is never
	 * constructed, so no screen can reach a remove call whatever it does.
	 */
	mutations: MutationService | null;
	/** Walks (or asks the engine for) one container's writable layer; abort when leaving the view. */
	drill(container: ContainerRecord, options: {signal: AbortSignal; onProgress?: (progress: DrillProgress) => void}): Promise<DrillTree>;
	/** Cleanup plans and redesign suggestions for the current snapshot (drills the top containers, reads image history). */
	advice(
		snapshot: NodeSnapshot,
		options?: {signal?: AbortSignal /** Growth per "engine/id" (the feed's): growing containers are drilled first. */; growth?: ReadonlyMap<string, number | null>},
	): Promise<{suggestions: Suggestion[]; classes: ContainerClasses[]}>;
	/** Walks the rest of each filesystem the ledger covers and classes it ("Other files" broken down); abort when leaving. */
	otherFiles?(snapshot: NodeSnapshot, options: Pick<OtherFilesOptions, 'signal' | 'onProgress'>): Promise<OtherFilesBreakdown[]>;
	/** CRI pods' ephemeral storage (writable layers, logs and emptyDirs on disk), for the overview's pod rows. */
	podStorage?(snapshot: NodeSnapshot): Array<{engine: string; pods: PodStorage[]}>;
	/** The image explorer: one image's layers, read from the store or the export stream. */
	image?(image: string, options: {signal: AbortSignal}): Promise<LoadedImage>;
}
