import {readFileSync} from 'node:fs';
import type {ContainerClasses, Suggestion} from '../../source/domain/advise.js';
import type {DrillTree} from '../../source/domain/drill-model.js';
import type {DirNode} from '../../source/domain/file-tree.js';
import type {EvictionThresholds} from '../../source/domain/eviction.js';
import type {Sample} from '../../source/domain/growth.js';
import type {ContainerRecord, NodeSnapshot} from '../../source/domain/types.js';
import type {ConsoleFeed, FeedState} from '../../source/services/console-feed.js';
import type {ConsoleServices} from '../../source/services/console-services.js';
import type {GuideDrills, GuideInput} from '../../source/ui/guide/guide-model.js';
import {findMechanisms} from '../../source/ui/guide/guide-pick.js';

/** Recorded from the seeded demo lab by scripts/record-guide-fixture.mjs. */
interface GuideFixture {
	snapshot: NodeSnapshot;
	thresholds: EvictionThresholds;
	growth: Array<[string, number | null]>;
	logGrowth?: Array<[string, number | null]>;
	history: Array<[string, Sample[]]>;
	drills: Record<string, Omit<DrillTree, 'dirs'> & {dirs: DirNode[]}>;
	advice: {suggestions: Suggestion[]; classes: ContainerClasses[]};
}

export const guideFixture: GuideFixture = JSON.parse(readFileSync(new URL('../fixtures/guide-lab.json', import.meta.url), 'utf8'));

export const tree = (id: string): DrillTree => {
	const raw = guideFixture.drills[id];
	if (!raw) throw new Error(`no recorded drill for ${id}`);
	return {...raw, dirs: new Map(raw.dirs.map(d => [d.key, d]))};
};

export const container = (name: string): ContainerRecord => guideFixture.snapshot.engines[0]!.containers.find(c => c.name === name)!;

export function recordedDrills(focusName = 'demo-log-writer'): GuideDrills {
	const drilled = Object.keys(guideFixture.drills).map(id => ({record: guideFixture.snapshot.engines[0]!.containers.find(c => c.id === id)!, tree: tree(id)}));
	const focus = drilled.find(d => d.record.name === focusName) ?? null;
	return {focus, ...findMechanisms(drilled), searched: drilled.length};
}

export function guideInput(patch: Partial<GuideInput> = {}): GuideInput {
	return {
		snapshot: guideFixture.snapshot,
		thresholds: guideFixture.thresholds,
		growth: new Map(guideFixture.growth),
		logGrowth: new Map(guideFixture.logGrowth ?? []),
		intervalMs: 1000,
		drills: {status: 'done', value: recordedDrills()},
		advice: {status: 'done', value: guideFixture.advice.suggestions},
		readOnly: {on: true, source: '--read-only'},
		actionsKey: null,
		...patch,
	};
}

/** Console services that replay the recording (UI tests only): drills of recorded containers, the recorded advice. */
export function recordedServices(readOnly = true): ConsoleServices & {drilled: string[]} {
	const drilled: string[] = [];
	return {
		readOnly: {on: readOnly, source: readOnly ? '--read-only' : null},
		mutations: null,
		drilled,
		drill: async record => {
			drilled.push(record.name);
			if (guideFixture.drills[record.id]) return tree(record.id);
			throw new Error(`${record.name}: not recorded`);
		},
		advice: async () => ({suggestions: guideFixture.advice.suggestions, classes: guideFixture.advice.classes}),
	};
}

export function recordedFeed(): ConsoleFeed {
	const state: FeedState = {
		snapshot: guideFixture.snapshot,
		progress: null,
		refreshedAt: guideFixture.snapshot.takenAt,
		intervalMs: 1000,
		error: null,
		thresholds: guideFixture.thresholds,
		notices: [],
		growth: new Map(guideFixture.growth),
		history: new Map(guideFixture.history),
	};
	return {getState: () => state, subscribe: () => () => {}, refresh: () => {}};
}
