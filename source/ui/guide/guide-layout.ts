/** Fits a step into the screen: wraps long lines, then shares the height between figures and explanation. Pure. */
import {truncateWidth, wrap} from '../../domain/text-width.js';
import {keysFor} from '../keymap.js';
import {line, type GuideLine, type GuideStep} from './guide-model.js';

export interface GuidePage {
	figures: GuideLine[];
	explain: string[];
	/** Figure lines that did not fit. */
	hidden: number;
	/** The scroll offset used (the one asked for, clamped) and the largest one that shows something new. */
	scroll: number;
	maxScroll: number;
	/** Figure lines shown at once (a page). */
	page: number;
}

/** Rows besides figures and explanation: title, blank line, footer. */
export const chromeRows = 3;

/**
 * Long figures scroll: `scroll` is the first figure line shown; a line above says how many are
 * above, a line below how many more there are, each with its keys.
 */
export function layoutStep(step: GuideStep, width: number, height: number, scroll = 0): GuidePage {
	const figures: GuideLine[] = [];
	for (const l of step.figures) {
		if (l.wrap === undefined) figures.push({...l, text: truncateWidth(l.text, width)});
		else for (const part of wrap(l.text, Math.max(10, width - l.wrap), '')) figures.push({...l, text: truncateWidth(' '.repeat(l.wrap) + part, width)});
	}
	const explainAll = step.explain.flatMap((p, i) => [...(i > 0 ? [''] : []), ...wrap(p, width, '')]);
	const room = Math.max(1, height - chromeRows);
	// The figures are the point of the guide: they keep at least 60% of the room.
	const explainRoom = Math.max(0, Math.min(explainAll.length + 1, room - Math.min(figures.length, Math.ceil(room * 0.6))));
	const explain = explainRoom > 1 ? explainAll.slice(0, explainRoom - 1) : [];
	if (explain.length < explainAll.length && explain.length > 0) explain[explain.length - 1] = truncateWidth(explain[explain.length - 1]! + ' …', width);
	const figureRoom = room - (explain.length ? explain.length + 1 : 0);
	if (figures.length <= figureRoom) return {figures, explain, hidden: 0, scroll: 0, maxScroll: 0, page: figureRoom};
	// At the last offset only the "above" line is extra: the rest of the room shows the end.
	const maxScroll = Math.max(0, figures.length - Math.max(1, figureRoom - 1));
	const offset = Math.max(0, Math.min(scroll, maxScroll));
	let rows = figureRoom - (offset > 0 ? 1 : 0);
	if (offset + rows < figures.length) rows -= 1;
	rows = Math.max(0, rows);
	const shown = figures.slice(offset, offset + rows);
	const below = figures.length - offset - shown.length;
	const page: GuideLine[] = [];
	if (offset > 0) page.push(line(truncateWidth(`↑ ${offset} line(s) above · ${keysFor('lineUp', 'guide')} ${keysFor('pageUp', 'guide')}`, width), 'dim'));
	page.push(...shown);
	if (below > 0) page.push(line(truncateWidth(`… ${below} more line(s) · ${keysFor('lineDown', 'guide')} ${keysFor('pageDown', 'guide')}`, width), 'dim'));
	return {figures: page, explain, hidden: figures.length - shown.length, scroll: offset, maxScroll, page: Math.max(1, rows)};
}
