/**
 * The guided walkthrough's content model. Pure: every step is computed from the
 * live snapshot, the growth figures, the drill-downs and the advice, and holds
 * display text only (sanitised here, truncated by the view).
 */
import type {Suggestion} from '../../domain/advise.js';
import type {DrillChange, DrillTree} from '../../domain/drill-model.js';
import type {EvictionThresholds} from '../../domain/eviction.js';
import type {SortKey} from '../../domain/growth.js';
import type {MetadataCopyUpSummary} from '../../domain/metadata-copy-up.js';
import type {ContainerRecord, NodeSnapshot} from '../../domain/types.js';

export const guideStepCount = 6;

/** Where a step hands over to: the full console view it teaches. */
export interface HandOver {
	screen: 'overview' | 'detail';
	sort?: SortKey;
	/** Row key ("engine/id") to put the cursor on. */
	select?: string | null;
	/** What the key does, for the footer: "overview sorted by growth". */
	label: string;
}

export type Tone = 'plain' | 'figure' | 'good' | 'warn' | 'bad' | 'dim' | 'heading';

export interface GuideLine {
	text: string;
	tone: Tone;
	/** Long text: word-wrapped by the view instead of truncated, every line indented by `wrap` columns. */
	wrap?: number;
}

export interface GuideStep {
	/** 1-based. */
	number: number;
	title: string;
	/** Live figures from this node. */
	figures: GuideLine[];
	/** What it means, for a newcomer (wrapped by the view). */
	explain: string[];
	handOver: HandOver | null;
	/** True while the data this step needs is still being gathered. */
	pending?: boolean;
}

export interface DrilledContainer {
	record: ContainerRecord;
	tree: DrillTree;
}

/** A copy-up or a whiteout found on the node, with the container it is in. */
export interface Mechanism {
	record: ContainerRecord;
	change: DrillChange;
}

/** Files copied up for metadata alone in one container (its drill's summary). */
export interface MetadataMechanism {
	record: ContainerRecord;
	summary: MetadataCopyUpSummary;
}

export type Loadable<T> = {status: 'loading'} | {status: 'done'; value: T} | {status: 'error'; error: string} | {status: 'unavailable'; reason: string};

export interface GuideDrills {
	/** The container step 4 drills into (the top grower, else the largest). */
	focus: DrilledContainer | null;
	copyUp: Mechanism | null;
	whiteout: Mechanism | null;
	/** The largest metadata-only copy-up among the drilled containers, when any. */
	metadataCopyUp?: MetadataMechanism | null;
	/** How many containers were drilled to look for copy-ups and whiteouts. */
	searched: number;
}

export interface GuideInput {
	snapshot: NodeSnapshot | null;
	thresholds: EvictionThresholds;
	growth: ReadonlyMap<string, number | null>;
	/** Log-file growth per container (optional: recordings made before it was tracked lack it). */
	logGrowth?: ReadonlyMap<string, number | null>;
	intervalMs: number;
	drills: Loadable<GuideDrills>;
	advice: Loadable<Suggestion[]>;
	/** The container steps 3 to 5 are about, as the guide keeps it (undefined: the top grower now). */
	focus?: ContainerRecord | null;
	/** null without console services (the guide then cannot drill or advise). */
	readOnly: {on: boolean; source: string | null} | null;
	/** Keys of the console's actions screen, when it exists ("a"); null otherwise. */
	actionsKey: string | null;
}

export const line = (text: string, tone: Tone = 'plain', wrap?: number): GuideLine => (wrap === undefined ? {text, tone} : {text, tone, wrap});
