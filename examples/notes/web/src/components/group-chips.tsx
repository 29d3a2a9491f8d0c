import type { GroupNode } from '../../../shared/data/groups.js';
import { useBackend } from '../../../shared/react/context.js';
import { useDocumentGroupIds } from '../../../shared/react/data.js';

/** The groups a document is in (removable chips) and a picker to add it to another. */
export function GroupChips(props: {
  documentId: string;
  groups: GroupNode[];
  disabled: boolean;
  onError: (e: unknown) => void;
}) {
  const backend = useBackend();
  const ids = useDocumentGroupIds(props.documentId);
  const inGroups = props.groups.filter((g) => ids.includes(g.id));
  const others = props.groups.filter((g) => !ids.includes(g.id));
  return (
    <ul className="chips" aria-label="Groups of this document">
      {inGroups.map((g) => (
        <li key={g.id} className="chip" style={{ borderColor: g.color ?? undefined }}>
          <span className="dot" style={{ background: g.color ?? '#94a3b8' }} aria-hidden="true" />
          {g.name}
          {!props.disabled && (
            <button
              type="button"
              aria-label={`Remove from ${g.name}`}
              onClick={() => void backend.run('removeFromGroup', props.documentId, g.id).catch(props.onError)}
            >
              ×
            </button>
          )}
        </li>
      ))}
      {!props.disabled && others.length > 0 && (
        <li>
          <select
            className="chip-add"
            aria-label="Add to group"
            value=""
            onChange={(e) => {
              if (e.target.value) {
                void backend.run('addToGroup', props.documentId, e.target.value).catch(props.onError);
              }
            }}
          >
            <option value="">+ Add to group</option>
            {others.map((g) => (
              <option key={g.id} value={g.id}>
                {'\u00a0\u00a0'.repeat(g.depth)}
                {g.name}
              </option>
            ))}
          </select>
        </li>
      )}
      {!props.disabled && props.groups.length === 0 && (
        <li className="chips-hint">No groups yet — create one under Groups.</li>
      )}
    </ul>
  );
}
