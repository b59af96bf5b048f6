import {memo} from 'react';
import {Box, Text} from 'ink';
import {count, percent} from '../../domain/format.js';
import {ledgerLabels} from '../../domain/ledger-labels.js';
import {sanitize} from '../../domain/sanitize.js';
import {fit as fitWidth} from '../model/fit.js';
import {bytes} from '../model/formatting.js';
import type {FilesystemGroup} from '../model/node-model.js';

export interface LedgerPanelProps {
	group: FilesystemGroup;
	width: number;
	mode: 'full' | 'compact';
}

const shortLabels: Record<string, string> = {
	liveLayers: 'Live layers',
	stoppedContainers: 'Stopped',
	containerLogs: 'Logs',
	imagesInUse: 'Images used',
	unusedImages: 'Unused img',
	danglingImages: 'Dangling',
	buildCache: 'Build cache',
	volumes: 'Volumes',
	deletedOpen: 'Deleted open',
};

/** Where the bytes live on one filesystem, with the remainder that no category explains. */
export const LedgerPanel = memo(function LedgerPanel({group, width, mode}: LedgerPanelProps) {
	const used = group.fs?.usedBytes ?? 0;
	const engineCols = group.engines.length > 1 && width >= 100 ? group.engines.map(e => sanitize(e.runtime.name)) : [];
	if (mode === 'compact') {
		const cells = group.lines.map(l => `${shortLabels[l.category]} ${bytes(l.bytes)}`);
		cells.push(`Other files ${bytes(group.other)} ${percent(group.other ?? 0, used)}`);
		const half = Math.floor((width - 1) / 2);
		const lines: string[] = [];
		for (let i = 0; i < cells.length; i += 2) lines.push(fitWidth(cells[i]!, half) + ' ' + fitWidth(cells[i + 1] ?? '', half));
		return (
			<Box flexDirection="column">
				<Text bold>{fitWidth('Where the bytes live', width)}</Text>
				{lines.map((text, i) => (
					<Text key={i}>{text}</Text>
				))}
			</Box>
		);
	}
	const label = Math.max(12, width - 2 - 9 - 7 - 12 - 8 - engineCols.length * 11);
	const row = (name: string, b: string, n: string, r: string, share: string, per: string[] = []) =>
		fitWidth(name, label) + fitWidth(b, 9, 'right') + fitWidth(n, 7, 'right') + fitWidth(r, 12, 'right') + fitWidth(share, 8, 'right') + per.map(p => fitWidth(p, 11, 'right')).join('');
	return (
		<Box flexDirection="column">
			<Text bold>{row('Where the bytes live', 'bytes', 'count', 'reclaimable', 'of used', engineCols)}</Text>
			{group.lines.map(l => (
				<Text key={l.category}>
					{row(
						'  ' + ledgerLabels[l.category] + (l.category === 'deletedOpen' ? ' (d)' : ''),
						bytes(l.bytes),
						count(l.count),
						bytes(l.reclaimable),
						l.bytes === null ? '—' : percent(l.bytes, used),
						engineCols.length ? l.perEngine.map(bytes) : [],
					)}
				</Text>
			))}
			<Text color={group.fs && group.other !== null && group.other > used / 2 ? 'yellow' : undefined}>{row('  Other files on this filesystem (f)', bytes(group.other), '', '', group.other === null ? '—' : percent(group.other, used))}</Text>
		</Box>
	);
});
