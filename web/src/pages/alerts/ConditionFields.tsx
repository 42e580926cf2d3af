import { CONDITION_TYPES, CONTAINER_EVENTS, CONTAINER_METRICS, defaultCondition, HOST_METRICS, type Condition, type ConditionType } from './rule-types';

/** The fields of one condition type; switching the type starts from that type's defaults. */
export function ConditionFields({ value, onChange }: { value: Condition; onChange: (next: Condition) => void }) {
  return (
    <fieldset>
      <legend>Condition</legend>
      <label>
        Condition type
        <select aria-label="Condition type" value={value.type} onChange={(e) => onChange(defaultCondition(e.target.value as ConditionType))}>
          {CONDITION_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <TypeFields value={value} onChange={onChange} />
    </fieldset>
  );
}

function TypeFields({ value, onChange }: { value: Condition; onChange: (next: Condition) => void }) {
  switch (value.type) {
    case 'container_metric':
    case 'host_metric': {
      const metrics = value.type === 'host_metric' ? HOST_METRICS : CONTAINER_METRICS;
      return (
        <div className="form-row">
          <label>
            Metric
            <select aria-label="Metric" value={value.metric} onChange={(e) => onChange({ ...value, metric: e.target.value })}>
              {metrics.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <label>
            Operator
            <select aria-label="Operator" value={value.op} onChange={(e) => onChange({ ...value, op: e.target.value as '>' | '<' })}>
              <option value=">">&gt; above</option>
              <option value="<">&lt; below</option>
            </select>
          </label>
          <label>
            Threshold
            <input type="number" step="any" required value={value.threshold} onChange={(e) => onChange({ ...value, threshold: e.target.valueAsNumber })} />
          </label>
          <label>
            For (duration)
            <input required value={value.for} placeholder="5m" onChange={(e) => onChange({ ...value, for: e.target.value })} />
          </label>
        </div>
      );
    }
    case 'container_event':
      return (
        <fieldset>
          <legend>Events</legend>
          {CONTAINER_EVENTS.map((event) => (
            <label key={event} className="checkbox">
              <input
                type="checkbox"
                checked={value.events.includes(event)}
                onChange={(e) => onChange({ ...value, events: e.target.checked ? [...value.events, event] : value.events.filter((x) => x !== event) })}
              />
              {event}
            </label>
          ))}
        </fieldset>
      );
    case 'host_offline':
      return (
        <label>
          Offline for (duration)
          <input required value={value.for} placeholder="2m" onChange={(e) => onChange({ ...value, for: e.target.value })} />
        </label>
      );
    case 'log_match':
      return (
        <div className="form-row">
          <label>
            Text to match
            <input required value={value.q} onChange={(e) => onChange({ ...value, q: e.target.value })} />
          </label>
          <label>
            Stream
            <select aria-label="Stream" value={value.stream ?? ''} onChange={(e) => onChange({ ...value, stream: (e.target.value || undefined) as 'stdout' | 'stderr' | undefined })}>
              <option value="">Both</option>
              <option value="stdout">stdout</option>
              <option value="stderr">stderr</option>
            </select>
          </label>
          <label>
            Count
            <input type="number" min={1} step={1} required value={value.count} onChange={(e) => onChange({ ...value, count: e.target.valueAsNumber })} />
          </label>
          <label>
            Within (duration)
            <input required value={value.within} placeholder="10m" onChange={(e) => onChange({ ...value, within: e.target.value })} />
          </label>
        </div>
      );
  }
}
