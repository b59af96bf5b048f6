import {useEffect} from 'react';

/**
 * TEST-ONLY fault injection: proves an uncaught error anywhere ends the console cleanly
 * (test/e2e/crash.test.ts). Never set it
 * in production; it is the only place that reads LAYERSCOPE_FAULT:
 *   screen:<name>  the named screen (overview, detail, help, actions, drill, guide, too-small)
 *                  throws while it renders;
 *   timer          a timer callback, outside React, throws once the console is up;
 *   rejection      a promise nobody awaits rejects once the console is up.
 */
const fault = (typeof process === 'object' && process.env.LAYERSCOPE_FAULT) || '';

export type FaultScreen = 'overview' | 'detail' | 'help' | 'actions' | 'drill' | 'guide' | 'too-small' | 'deleted' | 'other' | 'image';

export class InjectedFault extends Error {
	constructor(where: string) {
		super(`injected fault (${where}; LAYERSCOPE_FAULT is for tests only)`);
		this.name = 'InjectedFault';
	}
}

/** Rendered next to each screen by App: nothing, unless the fault above names that screen. */
export function FaultPoint({screen}: {screen: FaultScreen}): null {
	useEffect(() => {
		if (fault !== 'timer' && fault !== 'rejection') return;
		const timer = setTimeout(() => {
			if (fault === 'timer') throw new InjectedFault('timer');
			void Promise.reject(new InjectedFault('rejection'));
		}, 0);
		return () => clearTimeout(timer);
	}, []);
	if (fault === `screen:${screen}`) throw new InjectedFault(`${screen} screen`);
	return null;
}
