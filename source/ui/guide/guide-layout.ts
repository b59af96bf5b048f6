/** Fits a step into the screen: wraps long lines, then shares the height between figures and explanation. Pure. */
import {truncateWidth, wrap} from '../../domain/text-width.js';
import {line, type GuideLine, type GuideStep} from './guide-model.js';

export interface GuidePage {
	figures: GuideLine[];
	explain: string[];
	/** Figure lines that did not fit. */
	hidden: number;
}

/** Rows besides figures and explanation: title, blank line, footer. */
export const chromeRows = 3;

export function layoutStep(step: GuideStep, width: number, height: number): GuidePage {
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
	if (figures.length <= figureRoom) return {figures, explain, hidden: 0};
	const shown = figures.slice(0, Math.max(0, figureRoom - 1));
	return {figures: [...shown, line(`… ${figures.length - shown.length} more line(s)`, 'dim')], explain, hidden: figures.length - shown.length};
}
