import { Injectable } from '@nestjs/common';

type Listener = (organizationId: string) => void;

/** Tells the evaluator that an organization's rules or silences changed, so it reloads them now. */
@Injectable()
export class RuleChanges {
  private readonly listeners = new Set<Listener>();

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(organizationId: string): void {
    for (const listener of this.listeners) listener(organizationId);
  }
}
