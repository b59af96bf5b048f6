import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {count} from '../../domain/format.js';
import {sanitize, sanitizeRecord} from '../../domain/sanitize.js';
import {fit as fitWidth, truncate as truncateWidth} from '../model/fit.js';
import {bytes, growthPerMinute} from '../model/formatting.js';
import type {ContainerRow} from '../model/rows.js';
import {sparkline} from '../model/sparkline.js';

export interface DetailProps {
	row: ContainerRow | undefined;
	width: number;
	height: number;
	/**
	 * Seam for the drill-down issue: a tree of the writable layer goes here,
	 * below the metadata, in the remaining height.
	 */
	extension?: (row: ContainerRow, size: {width: number; height: number}) => ReactNode;
}

export function Detail({row, width, height, extension}: DetailProps) {
	if (!row) {
		return (
			<Box flexDirection="column" width={width}>
				<Text>The container is gone (removed since the last sample).</Text>
				<Text dimColor>Esc back</Text>
			</Box>
		);
	}
	const r = row.record;
	const field = (label: string, value: string) => (
		<Text key={label} wrap="truncate-end">
			<Text dimColor>{fitWidth(label, 14)}</Text>
			{truncateWidth(value, Math.max(1, width - 14))}
		</Text>
	);
	const labels = Object.entries(sanitizeRecord(r.labels)).slice(0, 3);
	const fields = [
		field('name', row.name),
		field('id', r.id.slice(0, 12) + (row.engine ? `  (${row.engine})` : '')),
		field('image', row.image),
		field('state', r.state + (r.createdAt ? `, created ${new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 19)} UTC` : '')),
		...(r.pod ? [field('pod', sanitize(`${r.pod.namespace}/${r.pod.name}`))] : []),
		field('writable', `${bytes(r.writableBytes)} apparent, ${bytes(r.writableAllocatedBytes)} allocated, ${count(r.writableInodes)} inodes (${r.sizeSource})`),
		field('growth', `${growthPerMinute(row.growth)}/min`),
		field('trend', sparkline(row.series, Math.max(8, Math.min(40, width - 16)))),
		field('logs', `${bytes(r.logBytes)}`),
		field('log path', r.logPath ? sanitize(r.logPath) : '—'),
		field('upper dir', r.upperDir ? sanitize(r.upperDir) : 'not readable here'),
		...labels.map(([k, v], i) => field(i === 0 ? 'labels' : '', `${k}=${v}`)),
	];
	const rest = Math.max(0, height - fields.length - 2);
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>{truncateWidth(`Container ${row.name}`, width)}</Text>
			{fields}
			{extension ? extension(row, {width, height: rest}) : null}
			<Text dimColor>Enter writable layer tree  i image layers  Esc back  ? help  q quit</Text>
		</Box>
	);
}
