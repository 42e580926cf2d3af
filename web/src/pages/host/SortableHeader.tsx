export type SortDirection = 'ascending' | 'descending';

export interface SortState<Key extends string> {
  key: Key;
  direction: SortDirection;
}

interface Props<Key extends string> {
  label: string;
  sortKey: Key;
  sort: SortState<Key>;
  onSort(next: SortState<Key>): void;
}

/** A column header that sorts its table: a button inside the `<th>`, with `aria-sort` on the header. */
export function SortableHeader<Key extends string>({ label, sortKey, sort, onSort }: Props<Key>) {
  const active = sort.key === sortKey;
  const toggle = () => onSort({ key: sortKey, direction: active && sort.direction === 'ascending' ? 'descending' : 'ascending' });
  return (
    <th scope="col" aria-sort={active ? sort.direction : 'none'}>
      <button type="button" className="link sort-button" onClick={toggle}>
        {label}
        <span aria-hidden="true">{active ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}

export function compareBy<Row>(value: (row: Row) => string | number | null, direction: SortDirection) {
  const sign = direction === 'ascending' ? 1 : -1;
  return (a: Row, b: Row) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sign;
  };
}
