import {Box, Text} from 'ink';
import {memo} from 'react';
import {count} from '../../domain/format.js';
import {fit} from '../model/fit.js';
import {bar, bytes} from '../model/formatting.js';
import type {DrillRow} from '../model/drill-rows.js';

export interface DrillTableProps {
	rows: readonly DrillRow[];
	cursor: number;
	top: number;
	height: number;
	width: number;
	/** Shown instead of rows when the directory lists nothing. */
	empty: string;
}

interface Columns {
	bar: number;
	inodes: boolean;
	name: number;
}

/** Narrow terminals lose the inode column first, then bar width. */
export function drillColumns(width: number): Columns {
	const fixed = (barWidth: number, inodes: boolean) => 2 + 2 + 10 + 5 + (barWidth + 1) + 7 + (inodes ? 7 : 0) + 14;
	for (const [b, inodes] of [
		[10, true],
		[6, true],
		[6, false],
		[4, false],
	] as const) {
		if (width - fixed(b, inodes) >= 16) return {bar: b, inodes, name: width - fixed(b, inodes)};
	}
	return {bar: 4, inodes: false, name: Math.max(4, width - fixed(4, false))};
}

const share = (fraction: number) => (fraction > 0 && fraction < 0.005 ? '<1%' : `${Math.round(fraction * 100)}%`);

function line(row: DrillRow, c: Columns, selected: boolean): string {
	const cls = row.unreadable ? 'unreadable!' : row.type === 'rest' ? '' : row.class;
	const name = row.type === 'symlink' ? row.name + '@' : row.name;
	return (
		(selected ? '› ' : '  ') +
		(row.mark ?? ' ') +
		' ' +
		fit(bytes(row.size), 9, 'right') +
		' ' +
		fit(share(row.share), 4, 'right') +
		' ' +
		bar(row.share, c.bar) +
		' ' +
		fit(count(row.files), 6, 'right') +
		' ' +
		(c.inodes ? fit(count(row.inodes), 6, 'right') + ' ' : '') +
		fit(cls, 13) +
		' ' +
		fit(name, c.name)
	);
}

/** One directory of the layer, largest first; one Text node per row. Names are display text already. */
export const DrillTable = memo(function DrillTable({rows, cursor, top, height, width, empty}: DrillTableProps) {
	const c = drillColumns(width);
	const header = '  M ' + fit('SIZE', 9, 'right') + ' ' + fit('USE', 4, 'right') + ' ' + fit('', c.bar) + ' ' + fit('FILES', 6, 'right') + ' ' + (c.inodes ? fit('INODES', 6, 'right') + ' ' : '') + fit('CLASS', 13) + ' NAME';
	return (
		<Box flexDirection="column" height={height + 1}>
			<Text bold dimColor wrap="truncate-end">
				{header}
			</Text>
			{rows.length === 0 ? (
				<Text dimColor wrap="truncate-end">
					{'  ' + empty}
				</Text>
			) : null}
			{rows.slice(top, top + height).map((row, i) => {
				const selected = top + i === cursor;
				return (
					<Text key={row.id} inverse={selected} color={row.unreadable ? 'red' : row.mark === 'D' ? 'magenta' : row.mark === 'C' ? 'yellow' : undefined} wrap="truncate-end">
						{line(row, c, selected)}
					</Text>
				);
			})}
		</Box>
	);
});
