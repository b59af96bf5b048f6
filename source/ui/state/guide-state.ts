/** The guide's navigation: which step, and when it hands over or leaves. Pure; tested without rendering. */
import type {GuideCommand} from '../keymap.js';
import {guideStepCount, type HandOver} from '../guide/guide-model.js';

export interface GuideState {
	/** 1-based step number. */
	step: number;
}

export const initialGuideState: GuideState = {step: 1};

export type GuideEffect = {type: 'none'} | {type: 'leave'} | {type: 'handOver'; target: HandOver};

export interface GuideResult {
	state: GuideState;
	effect: GuideEffect;
}

const none: GuideEffect = {type: 'none'};

/**
 * One key in the guide. `handOver` is what the current step hands over to (computed
 * from live data); without one, `open` does nothing. Next on the last step stays there:
 * leaving is always an explicit Esc.
 */
export function guideReducer(state: GuideState, command: GuideCommand, handOver: HandOver | null = null): GuideResult {
	switch (command) {
		case 'next':
			return {state: {step: Math.min(guideStepCount, state.step + 1)}, effect: none};
		case 'back':
			return {state: {step: Math.max(1, state.step - 1)}, effect: none};
		case 'leave':
			return {state, effect: {type: 'leave'}};
		case 'open':
			return {state, effect: handOver ? {type: 'handOver', target: handOver} : none};
	}
}

export function progressText(state: GuideState): string {
	return `${state.step}/${guideStepCount}`;
}
