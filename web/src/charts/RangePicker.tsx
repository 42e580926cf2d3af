import { useEffect, useState, type FormEvent } from 'react';
import { toLocalInput } from '../format';
import { PRESETS, type TimeRange } from './useRange';
import './charts.css';

/** Preset ranges, a custom from/to in the viewer's timezone, and "back to now". */
export function RangePicker({ range }: { range: TimeRange }) {
  const [from, setFrom] = useState(toLocalInput(range.from));
  const [to, setTo] = useState(toLocalInput(range.to));
  const [error, setError] = useState('');
  useEffect(() => {
    setFrom(toLocalInput(range.from));
    setTo(toLocalInput(range.to));
  }, [range.from, range.to]);

  const applyCustom = (event: FormEvent) => {
    event.preventDefault();
    const fromMs = new Date(from).getTime();
    const toMs = new Date(to).getTime();
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs >= toMs) return setError('"From" must be before "to".');
    setError('');
    range.setCustom(fromMs, toMs);
  };

  return (
    <div className="range-picker" role="group" aria-label="Time range">
      <div className="range-presets">
        {Object.keys(PRESETS).map((preset) => (
          <button key={preset} type="button" className={range.preset === preset ? '' : 'secondary'} aria-pressed={range.preset === preset} onClick={() => range.setPreset(preset)}>
            {preset}
          </button>
        ))}
        {!range.live && (
          <button type="button" className="secondary" onClick={range.backToNow}>
            Back to now
          </button>
        )}
      </div>
      <form className="range-custom" onSubmit={applyCustom}>
        <label>
          From
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          To
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit" className="secondary">
          Show range
        </button>
        {error && <span className="error" role="alert">{error}</span>}
      </form>
    </div>
  );
}
