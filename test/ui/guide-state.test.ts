import {describe, expect, it} from 'vitest';
import {commandIn, commandsIn, type KeyInfo} from '../../source/ui/keymap.js';

const guideCommandFor = (input: string, key: KeyInfo) => commandIn(['guide'], input, key);
const guideCommandsFor = (input: string, key: KeyInfo) => commandsIn(['guide'], input, key);
import type {HandOver} from '../../source/ui/guide/guide-model.js';
import {guideReducer, initialGuideState, progressText} from '../../source/ui/state/guide-state.js';

const target: HandOver = {screen: 'overview', sort: 'growth', select: null, label: 'overview by growth'};

describe('guide state', () => {
	it('walks forward and back within 1..6', () => {
		let state = initialGuideState;
		expect(progressText(state)).toBe('1/6');
		state = guideReducer(state, 'back').state;
		expect(state.step).toBe(1);
		for (let i = 0; i < 10; i++) state = guideReducer(state, 'next').state;
		expect(state.step).toBe(6);
		expect(progressText(state)).toBe('6/6');
		state = guideReducer(state, 'back').state;
		expect(state.step).toBe(5);
	});

	it('leaves on Esc and hands over only when the step has a view', () => {
		const state = {step: 3};
		expect(guideReducer(state, 'leave').effect).toEqual({type: 'leave'});
		expect(guideReducer(state, 'open', target).effect).toEqual({type: 'handOver', target});
		expect(guideReducer(state, 'open', null).effect).toEqual({type: 'none'});
		expect(guideReducer(state, 'open', target).state).toBe(state);
	});

	it('maps keys: → l Enter next, ← h back, o open, Esc leave', () => {
		expect(guideCommandFor('', {rightArrow: true})).toBe('next');
		expect(guideCommandFor('l', {})).toBe('next');
		expect(guideCommandFor('\r', {return: true})).toBe('next');
		expect(guideCommandFor('', {leftArrow: true})).toBe('back');
		expect(guideCommandFor('h', {})).toBe('back');
		expect(guideCommandFor('o', {})).toBe('open');
		expect(guideCommandFor('', {escape: true})).toBe('leave');
		expect(guideCommandFor('x', {})).toBeUndefined();
		expect(guideCommandFor('l', {ctrl: true})).toBeUndefined();
		expect(guideCommandsFor('ll\r', {})).toEqual(['next', 'next', 'next']);
	});

	it('scrolls long figures within what the page can show, and a new step starts at the top', () => {
		const limits = {maxScroll: 5, page: 3};
		let state = {step: 5};
		expect(guideCommandFor('j', {})).toBe('lineDown');
		expect(guideCommandFor('', {upArrow: true})).toBe('lineUp');
		expect(guideCommandFor('', {pageDown: true})).toBe('pageDown');
		expect(guideCommandFor(' ', {})).toBe('pageDown');
		expect(guideReducer(state, 'lineUp', null, limits).state).toBe(state);
		state = guideReducer(state, 'lineDown', null, limits).state;
		expect(state.scroll).toBe(1);
		state = guideReducer(state, 'pageDown', null, limits).state;
		expect(state.scroll).toBe(4);
		state = guideReducer(state, 'pageDown', null, limits).state;
		expect(state.scroll).toBe(5);
		expect(guideReducer(state, 'lineDown', null, limits).state).toBe(state);
		state = guideReducer(state, 'pageUp', null, limits).state;
		expect(state.scroll).toBe(2);
		expect(guideReducer(state, 'next', null, limits).state).toEqual({step: 6});
		expect(guideReducer(state, 'back', null, limits).state).toEqual({step: 4});
		// Without a layout (no limits) nothing scrolls.
		expect(guideReducer({step: 5}, 'lineDown').state).toEqual({step: 5});
	});
});
