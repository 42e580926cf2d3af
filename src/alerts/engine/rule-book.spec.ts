import type { SchedulerRegistry } from '@nestjs/schedule';
import type { LoadedRule } from '../alert-rule.js';
import type { AlertRulesRepository } from '../rules/alert-rules.repository.js';
import type { RuleChanges } from '../rules/rule-changes.js';
import type { SilencesRepository } from '../silences/silences.repository.js';
import { RuleBook } from './rule-book.js';

const rule = (id: string): LoadedRule => ({
  id,
  organizationId: 'org',
  name: id,
  enabled: true,
  severity: 'warning',
  scope: {},
  condition: { type: 'container_event', events: ['died'] },
  channelIds: [],
  repeatEvery: null,
  repeatEveryMs: null,
  windowMs: null,
  notifyResolved: true,
  createdAt: '',
  updatedAt: id,
});

/**
 * A rule store whose reads answer only when the test lets them, with what was stored when the read
 * began: the interleaving of a reread with a commit that a real database shows only by chance.
 */
class GatedRules {
  stored: LoadedRule[] = [];
  reads = 0;
  private readonly gates: (() => void)[] = [];

  listEnabled(): Promise<LoadedRule[]> {
    this.reads++;
    const snapshot = [...this.stored];
    return new Promise((resolve) => this.gates.push(() => resolve(snapshot)));
  }

  releaseAll(): void {
    for (const open of this.gates.splice(0)) open();
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('RuleBook.reload', () => {
  let store: GatedRules;
  let book: RuleBook;

  beforeEach(() => {
    store = new GatedRules();
    const silences = { activeOrUpcoming: async () => [] } as unknown as SilencesRepository;
    book = new RuleBook(store as unknown as AlertRulesRepository, silences, {} as RuleChanges, {} as SchedulerRegistry);
  });

  it('a call while a reread runs waits for a fresh reread that sees what was committed meanwhile', async () => {
    const first = book.reload();
    store.stored.push(rule('created-during-the-first-read'));
    let secondDone = false;
    const second = book.reload().then(() => (secondDone = true));
    store.releaseAll();
    await first;
    await tick();
    expect(secondDone).toBe(false);
    store.releaseAll();
    await second;
    expect(book.of('org', 'container_event').map((r) => r.id)).toEqual(['created-during-the-first-read']);
  });

  it('calls during one reread share a single next reread', async () => {
    const calls = [book.reload(), book.reload(), book.reload(), book.reload()];
    store.releaseAll();
    await tick();
    store.releaseAll();
    await Promise.all(calls);
    expect(store.reads).toBe(2);
  });
});
