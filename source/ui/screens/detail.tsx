import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {count} from '../../domain/format.js';
import {sanitize, sanitizeRecord} from '../../domain/sanitize.js';
import {fit as fitWidth, middle, truncate as truncateWidth} from '../model/fit.js';
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
	/** Allocated bytes of deleted files this container still holds open (issue 14); undefined when /proc was not scanned. */
	held?: number;
}

export function Detail({row, width, height, extension, held}: DetailProps) {
	if (!row) {
		return (
			<Box flexDirection="column" width={width}>
				<Text>The container is gone (removed since the last sample).</Text>
				<Text dimColor>Esc back</Text>
			</Box>
		);
	}
	const r = row.record;
	// Keyed by what the line shows: the second and third labels have no field name of their own.
	const field = (label: string, value: string, key = label) => (
		<Text key={key} wrap="truncate-end">
			<Text dimColor>{fitWidth(label, 14)}</Text>
			{truncateWidth(value, Math.max(1, width - 14))}
		</Text>
	);
	const labels = Object.entries(sanitizeRecord(r.labels)).slice(0, 3);
	const fields = [
		field('name', row.container),
		field('id', r.id.slice(0, 12) + (row.engine ? `  (${row.engine})` : '')),
		field('image', row.image),
		field('state', r.state + (r.createdAt ? `, created ${new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 19)} UTC` : '')),
		...(row.pod ? [field('pod', middle(row.pod, Math.max(1, width - 14)))] : []),
		...(r.infra ? [field('infra', "the pod's infra container: goes with its pod, never removed alone")] : []),
		field('writable', `${bytes(r.writableBytes)} apparent, ${bytes(r.writableAllocatedBytes)} allocated, ${count(r.writableInodes)} inodes (${r.sizeSource})`),
		field('growth', `${growthPerMinute(row.growth)}/min`),
		field('trend', sparkline(row.series, Math.max(8, Math.min(40, width - 16)))),
		field('logs', `${bytes(r.logBytes)}`),
		...(held !== undefined ? [field('held deleted', held > 0 ? `${bytes(held)} in deleted files still open (d lists them; counted in growth)` : 'none')] : []),
		field('log path', r.logPath ? sanitize(r.logPath) : '—'),
		field('upper dir', r.upperDir ? sanitize(r.upperDir) : 'not readable here'),
		...labels.map(([k, v], i) => field(i === 0 ? 'labels' : '', `${k}=${v}`, `label ${k}`)),
	];
	const rest = Math.max(0, height - fields.length - 2);
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>{truncateWidth(`Container ${row.name}`, width)}</Text>
			{fields}
			{extension ? extension(row, {width, height: rest}) : null}
			<Text dimColor>Enter writable layer tree i image layers Esc back ? help q quit</Text>
		</Box>
	);
}
