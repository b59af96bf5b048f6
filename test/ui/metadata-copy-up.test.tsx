import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {pathClasses, summarizeClasses} from '../../source/domain/classify.js';
import {emptyMetadataFigures, type MetadataCopyUpSummary} from '../../source/domain/metadata-copy-up.js';
import {ClassSummary} from '../../source/ui/components/class-summary.js';
import {layoutStep} from '../../source/ui/guide/guide-layout.js';
import {guideSteps} from '../../source/ui/guide/guide-steps.js';
import {explainRow} from '../../source/ui/model/drill-explain.js';
import type {DrillRow} from '../../source/ui/model/drill-rows.js';
import {container, guideInput, recordedDrills} from './guide-fixture.js';

const summary: MetadataCopyUpSummary = {
	...emptyMetadataFigures(128 << 20),
	files: 3000,
	bytes: 49_152_000,
	confirmed: 1300,
	inferred: 1700,
	owner: 3000,
	topOwner: {owner: '1000:1000', files: 3000},
	cause: 'ownership (to 1000:1000) changed on 3,000 files under /app/lib',
	under: '/app/lib',
	underFiles: 3000,
};

const row = (over: Partial<DrillRow>): DrillRow => ({id: 'x', name: 'x', type: 'file', size: 16384, allocatedBytes: 16384, apparentBytes: 16384, share: 0.1, files: 1, inodes: 1, mark: 'C', class: 'other', unreadable: false, ...over});

describe('metadata-only copy-ups on screen', () => {
	it('ends the class summary with the files, bytes and likely cause, within 80 columns', () => {
		const bytes = pathClasses.map(() => 0);
		bytes[pathClasses.indexOf('metadata-copy-up')] = 49_152_000;
		const classes = summarizeClasses(bytes, bytes);
		const {lastFrame} = render(<ClassSummary classes={classes} width={80} label="(apparent)" metadata={summary} />);
		const frame = lastFrame()!;
		expect(frame).toContain('metadata-only');
		expect(frame).toContain('metadata only: 3,000 files, 49.1 MB: ownership (to 1000:1000) changed on 3,00');
		for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
	});

	it('explains a metadata-only file and a directory holding them', () => {
		expect(explainRow(row({class: 'metadata-copy-up', lowerBytes: 16384}))).toMatch(/^metadata-only copy-up: same content as the image's file \(16\.\d kB\), copied up for its owner, mode or times alone/);
		expect(explainRow(row({type: 'dir', class: 'metadata-copy-up', classShare: 1, metadataCopyUp: {files: 100, bytes: 1_638_400}}))).toMatch(/100 files \([\d.]+ MB\) below copied up for metadata alone/);
	});

	it('shows it in the guide step 4, next to the copy-up, at 80×24', () => {
		const drills = {...recordedDrills(), metadataCopyUp: {record: container('demo-idle-big'), summary}};
		const step = guideSteps(guideInput({drills: {status: 'done', value: drills}}))[3]!;
		const page = layoutStep(step, 80, 24);
		const text = page.figures.map(f => f.text).join('\n');
		expect(text).toContain('Copied up for metadata alone in demo-idle-big:');
		expect(text).toContain('3,000 files, 49.1 MB: ownership (to 1000:1000) changed on 3,000 files under');
		expect(text).toContain('/app/lib');
		expect(text).toContain('Whiteout in demo-whiteout');
		expect(page.hidden).toBe(0);
		expect(step.explain.join(' ')).toContain('COPY --chown');
	});
});
