// Pieces the rule and channel pages share: a form's error and buttons, a row's edit and delete.

/** The API's message for the form (it names the field), then submit and cancel. */
export function FormFooter({ error, busy, submitLabel, onCancel }: { error?: string; busy: boolean; submitLabel: string; onCancel: () => void }) {
  return (
    <>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

/** A table row's Edit and Delete, named after the row for screen readers. */
export function RowActions({ name, onEdit, onDelete }: { name: string; onEdit: () => void; onDelete: () => void }) {
  return (
    <td className="actions">
      <button type="button" className="secondary" aria-label={`Edit ${name}`} onClick={onEdit}>
        Edit
      </button>
      <button type="button" className="danger" aria-label={`Delete ${name}`} onClick={onDelete}>
        Delete
      </button>
    </td>
  );
}
