import {readFileSync} from 'node:fs';
import type {DrillProgress, DrillTree} from '../../source/domain/drill-model.js';
import type {ContainerRecord} from '../../source/domain/types.js';
import type {ConsoleServices} from '../../source/services/console-services.js';

/** Data recorded from the private dockerd by scripts/record-drill-fixture.mjs. */
interface DrillFixture {
	container: ContainerRecord;
	walk: Omit<DrillTree, 'dirs'> & {dirs: Array<[string, DrillTree['dirs'] extends Map<string, infer D> ? D : never]>};
	engine: DrillFixture['walk'];
	progress: DrillProgress | null;
	unprivileged: DrillFixture['walk'];
}

const raw: DrillFixture = JSON.parse(readFileSync(new URL('../fixtures/drill-docker.json', import.meta.url), 'utf8'));

const revive = (tree: DrillFixture['walk']): DrillTree => ({...tree, dirs: new Map(tree.dirs)});

export const drillFixture = {
	container: raw.container,
	walk: () => revive(raw.walk),
	engine: () => revive(raw.engine),
	/** /w of the same container walked as nobody: an unreadable directory. */
	unprivileged: () => revive(raw.unprivileged),
	/** A DrillProgress as the walker reports it: the recorded one, else derived from the recorded root. */
	progress: (): DrillProgress => {
		const tree = revive(raw.walk);
		return raw.progress ?? {entries: tree.totals.inodes, dirsDone: tree.dirs.size, totals: tree.totals, topLevel: tree.dirs.get(tree.rootKey)!.entries};
	},
};

/** Every progress report of a real walk over one directory with 100,000 entries, in order (scripts/record-huge-progress-fixture.mjs). */
export const hugeProgress: {entries: number; progress: DrillProgress[]} = JSON.parse(readFileSync(new URL('../fixtures/drill-huge-progress.json', import.meta.url), 'utf8'));

/**
 * services.drill replaying the recording (UI tests only). `hold` keeps the walk running
 * until release(); report() hands the screen one more progress report meanwhile; aborts are
 * counted; `fail` rejects with an error like the walker's.
 */
export function replayServices(options: {tree?: () => DrillTree; hold?: boolean; progress?: DrillProgress | null; fail?: Error} = {}) {
	const state = {calls: 0, aborted: 0, release: () => {}, report: (_progress: DrillProgress) => {}};
	const services: Pick<ConsoleServices, 'drill'> = {
		drill: (_record, {signal, onProgress}) =>
			new Promise<DrillTree>((resolve, reject) => {
				state.calls++;
				state.report = progress => onProgress?.(progress);
				signal.addEventListener('abort', () => {
					state.aborted++;
					reject(Object.assign(new Error('walk aborted'), {name: 'AbortError'}));
				});
				const finish = () => (options.fail ? reject(options.fail) : resolve((options.tree ?? drillFixture.walk)()));
				setTimeout(() => {
					if (options.progress !== null) onProgress?.(options.progress ?? drillFixture.progress());
					if (options.hold) state.release = finish;
					else finish();
				}, 5);
			}),
	};
	return {services, state};
}
