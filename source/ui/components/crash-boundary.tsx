import {Component, type ReactNode} from 'react';

export interface CrashBoundaryProps {
	/** Called once, outside React's commit, with what a screen threw: run-console.ts leaves the console. */
	onCrash: (error: unknown) => void;
	children?: ReactNode;
}

/**
 * An error thrown while any screen renders. Without this, Ink's own
 * boundary paints the stack and a source excerpt over the console and the process stays up
 * (the feed keeps it alive). Here the screen goes blank and onCrash ends the console: Ink
 * unmounted, terminal restored, one line on stderr (the stack only with --debug), exit 2.
 */
export class CrashBoundary extends Component<CrashBoundaryProps, {crashed: boolean}> {
	static getDerivedStateFromError(): {crashed: boolean} {
		return {crashed: true};
	}

	override state = {crashed: false};

	override componentDidCatch(error: unknown): void {
		const {onCrash} = this.props;
		// Unmounting Ink from inside React's commit phase is not allowed: report on the next turn.
		setImmediate(() => onCrash(error));
	}

	override render(): ReactNode {
		return this.state.crashed ? null : this.props.children;
	}
}
