import {Box, Text} from 'ink';
import {memo, useMemo} from 'react';
import type {SortKey} from '../../domain/growth.js';
import {fit as fitWidth, middle} from '../model/fit.js';
import {bytes, growthPerMinute} from '../model/formatting.js';
import {tableColumns, type Column} from '../model/layout.js';
import {podStorageText, type GroupedRow} from '../model/pod-rows.js';
import {nameCell, sameRowContent, type ContainerRow} from '../model/rows.js';
import {sparkline} from '../model/sparkline.js';

export interface ContainerTableProps {
	rows: readonly GroupedRow[];
	cursor: number;
	top: number;
	height: number;
	width: number;
	engines: number;
	sort: SortKey;
}

const sortColumn: Record<SortKey, Column['id']> = {growth: 'growth', writable: 'writable', logs: 'logs', name: 'name'};

function cell(row: GroupedRow, column: Column): string {
	switch (column.id) {
		case 'name':
			// A pod row: `namespace/pod` cut from the middle, so the replica suffix survives.
			return row.group ? middle(row.name, column.width) : nameCell(row, column.width);
		case 'engine':
			return row.engine;
		case 'state':
			return row.state;
		case 'writable':
			return bytes(row.writableBytes);
		case 'growth':
			return growthPerMinute(row.growth);
		case 'spark':
			return sparkline(row.series, column.width);
		case 'logs':
			return bytes(row.logBytes);
		case 'image':
			return row.image;
	}
}

/** A row's cells as text, kept with the row for the column layout it was made for: a re-sort or a scroll back reuses it. */
const rowTexts = new WeakMap<ContainerRow, {columns: Column[]; text: string}>();

function rowText(row: GroupedRow, columns: Column[]): string {
	const cached = rowTexts.get(row);
	if (cached?.columns === columns) return cached.text;
	let text = '';
	// A pod's storage row is one sentence across the columns: its total next to the ephemeral-storage sizing.
	if (row.group?.kind === 'pod-storage') text = podStorageText(row.group, bytes);
	else for (const column of columns) text += ' ' + fitWidth(cell(row, column), column.width, column.align);
	rowTexts.set(row, {columns, text});
	return text;
}

interface RowProps {
	row: GroupedRow;
	columns: Column[];
	selected: boolean;
}

/**
 * One Text node per row: Ink's cost grows with nodes and styled segments, and 500 rows must
 * scroll fast. Memoised by content: a new sample with the same figures draws nothing new.
 */
const Row = memo(
	function Row({row, columns, selected}: RowProps) {
		const line = (selected ? '›' : ' ') + rowText(row, columns);
		const idle = row.state !== 'running';
		return (
			<Text inverse={selected} bold={row.group?.kind === 'pod'} dimColor={idle && !selected && !row.group} color={row.group?.kind === 'pod-storage' ? 'cyan' : !idle && (row.growth ?? 0) > 0 ? 'yellow' : undefined} wrap="truncate-end">
				{line}
			</Text>
		);
	},
	(a: RowProps, b: RowProps) => a.selected === b.selected && a.columns === b.columns && sameRowContent(a.row, b.row) && samePod(a.row.group, b.row.group),
);

const samePod = (a: GroupedRow['group'], b: GroupedRow['group']) =>
	a === b || (a !== undefined && b !== undefined && a.kind === b.kind && a.totalBytes === b.totalBytes && a.emptyDirBytes === b.emptyDirBytes && a.containers === b.containers);

/** The ranked container list; only the visible window is rendered. */
export const ContainerTable = memo(function ContainerTable({rows, cursor, top, height, width, engines, sort}: ContainerTableProps) {
	const pods = useMemo(() => rows.some(r => r.pod !== '' || r.group), [rows]);
	const columns = useMemo(() => tableColumns(width, engines, pods), [width, engines, pods]);
	const visible = rows.slice(top, top + height);
	const header = columns.map(c => fitWidth(c.title + (sortColumn[sort] === c.id ? (sort === 'name' ? '↑' : '↓') : ''), c.width, c.align)).join(' ');
	return (
		<Box flexDirection="column" height={height + 1}>
			<Text bold dimColor wrap="truncate-end">
				{'  ' + header}
			</Text>
			{rows.length === 0 ? <Text dimColor> no containers</Text> : null}
			{/* Keyed by position in the window: scrolling or re-sorting updates each line's text in place instead of unmounting and mounting Ink nodes. */}
			{visible.map((row, i) => (
				<Row key={i} row={row} columns={columns} selected={top + i === cursor} />
			))}
		</Box>
	);
});
