import {Box, Text, useInput} from 'ink';
import {useMemo, useReducer, useRef} from 'react';
import {count} from '../../domain/format.js';
import type {LayerInput} from '../../domain/image-analysis.js';
import {sanitize} from '../../domain/sanitize.js';
import type {ConsoleServices} from '../../services/console-services.js';
import type {ImageReport} from '../../services/image-explorer.js';
import {useImageLoad} from '../hooks/use-image-load.js';
import {fit, truncate} from '../model/fit.js';
import {bytes} from '../model/formatting.js';
import {buildImageTree, imageTreeRows, stackTo, type ImageTreeRow} from '../model/image-tree.js';
import {imageIntents} from '../state/image-keys.js';
import {cursorOf, imageReducer, initialImageState, topOf, type ImageUiState} from '../state/image-state.js';

export interface ImageExplorerProps {
	/** Image name or id (raw; sanitised before printing). */
	image: string | null;
	services?: Pick<ConsoleServices, 'image'>;
	width: number;
	height: number;
	active?: boolean;
	onLeave: () => void;
	onHelp?: () => void;
	onQuit?: () => void;
	/** Why there is no image to show (a CRI container), printed instead of loading. */
	note?: string;
	/** Tests start in a given state. */
	initial?: Partial<ImageUiState>;
}

const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const command = (createdBy: string) =>
	sanitize(
		createdBy
			.replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
			.replace(/^(RUN )?\/bin\/sh -c /, 'RUN ')
			.replace(/\s+#\s*buildkit$/, ''),
	) || '(base)';

/** Header lines (name, figures, layer line). */
export const imageHeaderLines = 3;
/** Footer lines (selected command, keys). */
const footerLines = 2;

export function imageHeader(report: ImageReport, width: number): string[] {
	return [
		truncate(`Image ${sanitize(report.image)}  ${report.imageId.slice(7, 19)}  ${bytes(report.sizeBytes)} in ${report.layers.length} layers (${report.source === 'store' ? 'layer store' : 'export stream'})`, width),
		truncate(`efficiency ${pct(report.efficiency)}  wasted ${bytes(report.wastedBytes)}  user wasted ${pct(report.userWastedPercent)}  invisible ${bytes(report.invisibleBytes)}`, width),
	];
}

function layerLine(report: ImageReport, index: number, selected: boolean, width: number): string {
	const l = report.layers[index]!;
	return fit(`${selected ? '›' : ' '}${String(index).padStart(2)} ${fit(bytes(l.bytes), 8, 'right')} ${command(l.createdBy)}`, width);
}

function treeLine(row: ImageTreeRow, total: number, selected: boolean, width: number): string {
	const share = total > 0 ? Math.round((row.bytes / total) * 100) : 0;
	return fit(`${selected ? '› ' : '  '}${row.mark ?? ' '} ${fit(bytes(row.bytes), 9, 'right')} ${fit(`${share}%`, 4, 'right')} ${fit(count(row.files), 6, 'right')} ${row.name}${row.dir ? '/' : ''}`, width);
}

/** The image explorer (issue 15): layers on the left, the selected layer's tree on the right. */
export function ImageExplorer({image, services, width, height, active = true, onLeave, onHelp, onQuit, note, initial}: ImageExplorerProps) {
	const [ui, dispatch] = useReducer(imageReducer, {...initialImageState, ...initial});
	const load = useImageLoad(services, image, ui.generation);
	const layers: LayerInput[] = load.status === 'done' ? load.image.layers : [];
	const report = load.status === 'done' ? load.image.report : null;
	const layer = Math.min(ui.layer, Math.max(0, layers.length - 1));
	const below = useMemo(() => (layers.length ? stackTo(layers, layer) : null), [layers, layer]);
	const tree = useMemo(() => (below ? buildImageTree(layers, layer, ui.scope, below) : null), [below, ui.scope]);
	let dir = ui.dir;
	let rows = tree ? imageTreeRows(tree, dir) : [];
	if (tree && rows.length === 0 && dir !== '/') {
		dir = '/';
		rows = imageTreeRows(tree, dir);
	}
	const state = {...ui, dir};
	const body = Math.max(3, height - imageHeaderLines - footerLines);
	const page = body - 1;
	const cursor = cursorOf(state, rows.length);
	const top = topOf(state, rows.length, page);

	const latest = useRef({state, rows, page, layers: layers.length});
	latest.current = {state, rows, page, layers: layers.length};
	useInput(
		(input, key) => {
			for (const intent of imageIntents(input, key)) {
				if (intent.type === 'quit') return onQuit?.();
				if (intent.type === 'help') return onHelp?.();
				const {state, rows, page, layers} = latest.current;
				if (intent.type === 'back' && state.dir === '/') return onLeave();
				dispatch({intent, rows, page, layers, dir: state.dir});
			}
		},
		{isActive: active},
	);

	if (!active) return null;
	const name = sanitize(image ?? '');
	if (load.status !== 'done') {
		const message =
			load.status === 'loading'
				? 'reading the layers… (the layer store when readable as root, else the export stream)'
				: load.status === 'failed'
					? `cannot read the image: ${sanitize(load.message)}`
					: image
						? 'the image explorer is not available in this console (no services)'
						: (note ?? 'no image: this container names none');
		return (
			<Box flexDirection="column" width={width} height={height}>
				<Text bold wrap="truncate-end">
					{truncate(`Image ${name}`, width)}
				</Text>
				<Text color={load.status === 'failed' ? 'red' : undefined} wrap="truncate-end">
					{truncate(message, width)}
				</Text>
				<Text dimColor>r retry Esc back q quit</Text>
			</Box>
		);
	}

	const r = report!;
	const left = Math.max(18, Math.min(32, Math.floor(width * 0.36)));
	const right = Math.max(10, width - left - 1);
	const layerTop = Math.max(0, Math.min(layer - Math.floor(body / 2), r.layers.length - body));
	const selected = rows[cursor];
	const marks = tree!.marks;
	const header = imageHeader(r, width);
	const layerInfo = truncate(`Layer ${layer}/${r.layers.length - 1}  ${ui.scope === 'changes' ? 'its changes' : 'aggregated up to it'}  A ${marks.A} M ${marks.M} D ${marks.D}  ${sanitize(dir)}`, width);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate-end">
				{header[0]}
			</Text>
			<Text color="yellow" wrap="truncate-end">
				{header[1]}
			</Text>
			<Text wrap="truncate-end">{layerInfo}</Text>
			<Box flexDirection="row" height={body}>
				<Box flexDirection="column" width={left}>
					{r.layers.slice(Math.max(0, layerTop), Math.max(0, layerTop) + body).map(l => (
						<Text key={l.index} inverse={l.index === layer} wrap="truncate-end">
							{layerLine(r, l.index, l.index === layer, left)}
						</Text>
					))}
				</Box>
				<Box width={1} />
				<Box flexDirection="column" width={right}>
					<Text bold dimColor wrap="truncate-end">
						{fit(`  M ${fit('SIZE', 9, 'right')} ${fit('USE', 4, 'right')} ${fit('FILES', 6, 'right')} NAME`, right)}
					</Text>
					{rows.length === 0 ? <Text dimColor>{'  nothing in this layer'}</Text> : null}
					{rows.slice(top, top + page).map((row, i) => (
						<Text key={row.path} inverse={top + i === cursor} color={row.mark === 'D' ? 'magenta' : row.mark === 'M' ? 'yellow' : row.mark === 'A' ? 'green' : undefined} wrap="truncate-end">
							{treeLine(row, tree!.totalBytes, top + i === cursor, right)}
						</Text>
					))}
				</Box>
			</Box>
			<Text wrap="truncate-end">{truncate(selected ? `${selected.mark ?? ' '} ${sanitize(selected.path)}` : command(r.layers[layer]!.createdBy), width)}</Text>
			<Text dimColor wrap="truncate-end">
				{truncate(`[ ] layer  t ${ui.scope === 'changes' ? 'aggregated' : 'changes'}  Enter/→ in  ⌫/← out  r reload  ? help  q quit  ${rows.length ? `${cursor + 1}/${rows.length}` : ''}`, width)}
			</Text>
		</Box>
	);
}
