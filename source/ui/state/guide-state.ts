/** The guide's navigation: which step, and when it hands over or leaves. Pure; tested without rendering. */
import type {GuideCommand} from '../keymap.js';
import {guideStepCount, type HandOver} from '../guide/guide-model.js';

export interface GuideState {
	/** 1-based step number. */
	step: number;
	/** First figure line shown, when a step's figures are longer than the screen (0: the top). */
	scroll?: number;
}

export const initialGuideState: GuideState = {step: 1};

/** How far the current page can scroll, from its layout: the reducer never scrolls past the last line. */
export interface GuideScroll {
	maxScroll: number;
	/** Figure lines one page moves. */
	page: number;
}

export type GuideEffect = {type: 'none'} | {type: 'leave'} | {type: 'handOver'; target: HandOver};

export interface GuideResult {
	state: GuideState;
	effect: GuideEffect;
}

const none: GuideEffect = {type: 'none'};

/**
 * One key in the guide. `handOver` is what the current step hands over to (computed
 * from live data); without one, `open` does nothing. Next on the last step stays there:
 * leaving is always an explicit Esc. A new step starts at the top of its figures.
 */
export function guideReducer(state: GuideState, command: GuideCommand, handOver: HandOver | null = null, scroll: GuideScroll = {maxScroll: 0, page: 1}): GuideResult {
	const scrollBy = (delta: number): GuideResult => {
		const to = Math.max(0, Math.min(scroll.maxScroll, (state.scroll ?? 0) + delta));
		return {state: to === (state.scroll ?? 0) ? state : {...state, scroll: to}, effect: none};
	};
	switch (command) {
		case 'next':
			return {state: {step: Math.min(guideStepCount, state.step + 1)}, effect: none};
		case 'back':
			return {state: {step: Math.max(1, state.step - 1)}, effect: none};
		case 'lineDown':
			return scrollBy(1);
		case 'lineUp':
			return scrollBy(-1);
		case 'pageDown':
			return scrollBy(Math.max(1, scroll.page));
		case 'pageUp':
			return scrollBy(-Math.max(1, scroll.page));
		case 'leave':
			return {state, effect: {type: 'leave'}};
		case 'open':
			return {state, effect: handOver ? {type: 'handOver', target: handOver} : none};
	}
}

export function progressText(state: GuideState): string {
	return `${state.step}/${guideStepCount}`;
}
