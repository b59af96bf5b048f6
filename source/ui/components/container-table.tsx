import {Box, Text} from 'ink';
import {memo, useMemo} from 'react';
import type {SortKey} from '../../domain/growth.js';
import {fit as fitWidth} from '../model/fit.js';
import {bytes, growthPerMinute} from '../model/formatting.js';
import {tableColumns, type Column} from '../model/layout.js';
import {type ContainerRow, nameCell} from '../model/rows.js';
import {sparkline} from '../model/sparkline.js';

export interface ContainerTableProps {
	rows: readonly ContainerRow[];
	cursor: number;
	top: number;
	height: number;
	width: number;
	engines: number;
	sort: SortKey;
}

const sortColumn: Record<SortKey, Column['id']> = {growth: 'growth', writable: 'writable', logs: 'logs', name: 'name'};

function cell(row: ContainerRow, column: Column): string {
	switch (column.id) {
		case 'name':
			return nameCell(row, column.width);
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

/** One Text node per row: Ink's cost grows with nodes and styled segments, and 500 rows must scroll fast. */
const Row = memo(function Row({row, columns, selected}: {row: ContainerRow; columns: Column[]; selected: boolean}) {
	let line = selected ? '›' : ' ';
	for (const column of columns) line += ' ' + fitWidth(cell(row, column), column.width, column.align);
	const idle = row.state !== 'running';
	return (
		<Text inverse={selected} dimColor={idle && !selected} color={!idle && (row.growth ?? 0) > 0 ? 'yellow' : undefined} wrap="truncate-end">
			{line}
		</Text>
	);
});

/** The ranked container list; only the visible window is rendered. */
export const ContainerTable = memo(function ContainerTable({rows, cursor, top, height, width, engines, sort}: ContainerTableProps) {
	const pods = useMemo(() => rows.some(r => r.pod !== ''), [rows]);
	const columns = useMemo(() => tableColumns(width, engines, pods), [width, engines, pods]);
	const visible = rows.slice(top, top + height);
	const header = columns.map(c => fitWidth(c.title + (sortColumn[sort] === c.id ? (sort === 'name' ? '↑' : '↓') : ''), c.width, c.align)).join(' ');
	return (
		<Box flexDirection="column" height={height + 1}>
			<Text bold dimColor wrap="truncate-end">
				{'  ' + header}
			</Text>
			{rows.length === 0 ? <Text dimColor>  no containers</Text> : null}
			{visible.map((row, i) => (
				<Row key={row.key} row={row} columns={columns} selected={top + i === cursor} />
			))}
		</Box>
	);
});
