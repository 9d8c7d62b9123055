import type { ReactNode, RefObject } from 'react';
import type { LogbookFilters, Operation } from '../../../electron/contract/index.js';
import { logbookStrings as t } from './strings.js';
import { dateInputToIso } from './time.js';
import type { View } from './useLogbook.js';

export interface FilterForm {
  query: string;
  category: string;
  author: string;
  from: string;
  to: string;
  important: boolean;
  operationId: string;
}

export const emptyForm: FilterForm = {
  query: '',
  category: '',
  author: '',
  from: '',
  to: '',
  important: false,
  operationId: '',
};

/** Form state → the query and filters of the contract (dates typed in Nouméa time). */
export const toView = (f: FilterForm): View => {
  const filters: LogbookFilters = {};
  if (f.category !== '') filters.category = f.category;
  if (f.author.trim() !== '') filters.author = f.author.trim();
  // An incomplete or impossible date (typing in progress) filters nothing rather than everything.
  const from = dateInputToIso(f.from, false);
  const to = dateInputToIso(f.to, true);
  if (typeof from === 'string') filters.from = from;
  if (typeof to === 'string') filters.to = to;
  if (f.important) filters.important = true;
  if (f.operationId !== '') filters.operationId = f.operationId;
  return { query: f.query, filters };
};

export const SearchBar = ({
  form,
  onChange,
  categories,
  operations,
  inputRef,
  children,
}: {
  form: FilterForm;
  onChange: (f: FilterForm) => void;
  categories: string[];
  operations: Operation[];
  inputRef: RefObject<HTMLInputElement | null>;
  /** Shown on the same line (the export buttons): one line less above the list. */
  children?: ReactNode;
}) => {
  const set = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) => onChange({ ...form, [key]: value });
  return (
    <div className="lb-search" role="search" data-testid="logbook-search">
      <label>
        {t.search.label}
        <input
          ref={inputRef}
          type="search"
          value={form.query}
          placeholder={t.search.placeholder}
          maxLength={200}
          onChange={(e) => set('query', e.target.value)}
          data-testid="search-query"
        />
      </label>
      <details className="lb-filters">
        <summary>{t.search.filters}</summary>
        <label>
          {t.search.category}
          <select value={form.category} onChange={(e) => set('category', e.target.value)} data-testid="search-category">
            <option value="">{t.search.all}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.search.author}
          <input value={form.author} onChange={(e) => set('author', e.target.value)} maxLength={60} size={12} />
        </label>
        <label>
          {t.search.from}
          <input
            value={form.from}
            onChange={(e) => set('from', e.target.value)}
            placeholder={t.search.datePlaceholder}
            size={10}
            maxLength={10}
            aria-invalid={dateInputToIso(form.from, false) === null}
            data-testid="search-from"
          />
        </label>
        <label>
          {t.search.to}
          <input
            value={form.to}
            onChange={(e) => set('to', e.target.value)}
            placeholder={t.search.datePlaceholder}
            size={10}
            maxLength={10}
            aria-invalid={dateInputToIso(form.to, true) === null}
            data-testid="search-to"
          />
        </label>
        <label>
          {t.search.operation}
          <select value={form.operationId} onChange={(e) => set('operationId', e.target.value)}>
            <option value="">{t.search.all}</option>
            {operations.map((o) => (
              <option key={o.operationId} value={o.operationId}>
                {o.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={form.important} onChange={(e) => set('important', e.target.checked)} />{' '}
          {t.search.important}
        </label>
        <button type="button" onClick={() => onChange(emptyForm)}>
          {t.search.clear}
        </button>
      </details>
      {children}
    </div>
  );
};
