/** Small building blocks of the mobile screens. */
import type { ReactNode } from 'react';
import { Pressable, Text, View } from 'react-native';
import { userMessage } from '../../../shared/text';
import { styles } from './styles';

export function Button(props: {
  label: string;
  onPress: () => void;
  kind?: 'primary' | 'danger' | 'plain';
  disabled?: boolean;
  accessibilityLabel?: string;
}) {
  const primary = props.kind === 'primary';
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={props.accessibilityLabel ?? props.label}
      accessibilityState={{ disabled: props.disabled === true }}
      disabled={props.disabled}
      onPress={props.onPress}
      style={[styles.button, primary && styles.buttonPrimary, props.disabled && { opacity: 0.5 }]}
    >
      <Text
        style={[
          styles.buttonText,
          primary && styles.buttonTextPrimary,
          props.kind === 'danger' && styles.buttonTextDanger,
        ]}
      >
        {props.label}
      </Text>
    </Pressable>
  );
}

/** An error for the user: a plain sentence first, the code small after it. */
export function ErrorText({ error }: { error: unknown }) {
  const m = userMessage(error);
  return (
    <Text style={styles.error} accessibilityRole="alert">
      {m.text} <Text style={styles.code}>{m.code}</Text>
    </Text>
  );
}

/** A screen's header: back button (if any), title, actions. */
export function Header(props: {
  title: string;
  onBack?: () => void;
  backLabel?: string;
  children?: ReactNode;
}) {
  return (
    <View style={styles.header}>
      {props.onBack && (
        <Pressable
          accessibilityRole="button"
          accessibilityLabel={props.backLabel ?? 'Back'}
          onPress={props.onBack}
        >
          <Text style={styles.link}>‹ {props.backLabel ?? 'Back'}</Text>
        </Pressable>
      )}
      <Text style={styles.headerTitle} accessibilityRole="header" numberOfLines={1}>
        {props.title}
      </Text>
      {props.children}
    </View>
  );
}
