import { useCallback, useEffect, useRef, useState } from 'react';
import { ScrollView, Text, TextInput, View } from 'react-native';
import { canEdit } from '../../../shared/data/sharing';
import { useBackend } from '../../../shared/react/context';
import { useAccess, useDocument, useProjects } from '../../../shared/react/data';
import { useNow } from '../../../shared/react/use-now';
import { timeAgo } from '../../../shared/text';
import { styles } from '../components/styles';
import { Button, ErrorText, Header } from '../components/ui';

const AUTOSAVE_MS = 800;

/**
 * One document's title and text. Edits save on their own after a short pause (and when leaving), each save
 * recording a new version; changes from other devices show up at once unless there is an unsaved edit.
 */
export function EditorScreen(props: { id: string; onBack: () => void; onVersions: () => void }) {
  const backend = useBackend();
  const { document: doc, loading } = useDocument(props.id);
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [save, setSave] = useState<'saved' | 'editing' | 'saving' | 'failed'>('saved');
  const [error, setError] = useState<unknown>(null);
  const dirty = useRef(false);
  const draft = useRef({ title: '', content: '' });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const now = useNow();
  const access = useAccess(useProjects().rows);

  useEffect(() => {
    if (!doc || dirty.current) return;
    setTitle(doc.title ?? '');
    setContent(doc.content);
    draft.current = { title: doc.title ?? '', content: doc.content };
  }, [doc]);

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!dirty.current) return;
    dirty.current = false;
    setSave('saving');
    try {
      await backend.run('saveDocument', props.id, { ...draft.current });
      setSave(dirty.current ? 'editing' : 'saved');
      setError(null);
    } catch (e) {
      dirty.current = true;
      setSave('failed');
      setError(e);
    }
  }, [backend, props.id]);

  useEffect(
    () => () => {
      void flush();
    },
    [flush],
  );

  const edit = (next: { title?: string; content?: string }) => {
    if (next.title !== undefined) setTitle(next.title);
    if (next.content !== undefined) setContent(next.content);
    draft.current = { ...draft.current, ...next };
    dirty.current = true;
    setSave('editing');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
  };

  if (!doc) {
    return (
      <View style={styles.body}>
        <Header title="" onBack={props.onBack} backLabel="Documents" />
        <View style={styles.empty}>
          <Text>{loading ? 'Opening…' : 'This document no longer exists.'}</Text>
        </View>
      </View>
    );
  }
  const trashed = doc.deletedAt !== null;
  const mayEdit = canEdit(access.document(doc));
  const label =
    save === 'saving'
      ? 'Saving…'
      : save === 'editing'
        ? 'Edited'
        : save === 'failed'
          ? 'Not saved'
          : `Saved ${timeAgo(doc.updatedAt, now)}`;
  return (
    <View style={styles.body}>
      <Header title="" onBack={() => void flush().then(props.onBack)} backLabel="Documents">
        <Text style={styles.rowMeta} testID="save-state" accessibilityLiveRegion="polite">
          {label}
        </Text>
      </Header>
      <ScrollView
        contentContainerStyle={[styles.section, { flexGrow: 1 }]}
        keyboardShouldPersistTaps="handled"
      >
        {error !== null && <ErrorText error={error} />}
        {trashed && mayEdit && (
          <Text style={styles.notice}>This document is in the trash. Restore it to edit.</Text>
        )}
        {!mayEdit && (
          <Text style={styles.notice} testID="read-only">
            Shared with you as a viewer: you can read this document but not change it.
          </Text>
        )}
        <TextInput
          style={styles.titleInput}
          accessibilityLabel="Title"
          placeholder="Untitled"
          value={title}
          editable={!trashed && mayEdit}
          onChangeText={(t) => edit({ title: t })}
          autoFocus={!doc.title && !doc.content}
        />
        <TextInput
          style={[styles.contentInput, { minHeight: 240 }]}
          accessibilityLabel="Content"
          placeholder="Start writing…"
          multiline
          value={content}
          editable={!trashed && mayEdit}
          onChangeText={(t) => edit({ content: t })}
          onBlur={() => void flush()}
        />
      </ScrollView>
      <View style={[styles.section, { flexDirection: 'row', gap: 8 }]}>
        <Button label="Versions" onPress={() => void flush().then(props.onVersions)} />
        {!mayEdit ? null : trashed ? (
          <Button
            label="Restore"
            onPress={() => void backend.run('restoreDocument', doc.id).catch(setError)}
          />
        ) : (
          <Button
            label="Move to trash"
            kind="danger"
            onPress={() =>
              void flush()
                .then(() => backend.run('trashDocument', doc.id))
                .then(props.onBack, setError)
            }
          />
        )}
      </View>
    </View>
  );
}
