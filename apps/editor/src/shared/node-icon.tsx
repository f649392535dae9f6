import type { NodeTypeView } from '../api/types';

/**
 * The icon of a node type (the `icon` its type publishes), drawn as a small stroked SVG so it
 * takes the colour of the text around it. Unknown names get a neutral dot.
 */
const ICON_PATHS: Record<string, string> = {
  webhook: 'M9 17a4 4 0 1 1-3-6.7M12 6a4 4 0 0 1 3.5 6M15 17h-6l3-6M18 13a4 4 0 1 1-2.5 7',
  'calendar-clock': 'M4 5h16v15H4zM4 10h16M9 3v4M15 3v4M12 13v3l2 1',
  shuffle: 'M3 7h4l10 10h4M3 17h4l3-3M14 10l3-3h4M18 4l3 3-3 3M18 14l3 3-3 3',
  pencil: 'M4 20l4-1 11-11-3-3L5 16zM14 6l3 3',
  'file-text': 'M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6',
  filter: 'M4 5h16l-6 8v6l-4 2v-8z',
  'git-branch':
    'M6 3v12M6 15a3 3 0 1 0 0 6 3 3 0 0 0 0-6M18 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6M18 9a9 9 0 0 1-9 9',
  split: 'M12 3v7M12 10l-7 7M12 10l7 7M5 17v4M19 17v4',
  merge: 'M5 3v4l7 7 7-7V3M12 14v7',
  globe: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18',
  slack: 'M9 3v8M15 13v8M3 15h8M13 9h8M9 3a2 2 0 0 1 2 2M15 21a2 2 0 0 1-2-2',
  mail: 'M3 6h18v12H3zM3 6l9 7 9-7',
  reply: 'M9 8L4 13l5 5M4 13h10a6 6 0 0 1 6 6',
  clock: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18M12 7v5l3 2',
  'circle-alert': 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18M12 8v5M12 16v.5',
};

export function NodeIcon({ icon, className }: { icon: string | undefined; className?: string }) {
  const path = (icon && ICON_PATHS[icon]) ?? 'M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6';
  return (
    <svg
      className={className ? `node-icon ${className}` : 'node-icon'}
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      data-icon={icon}
    >
      <path d={path} />
    </svg>
  );
}

/** A node type as the palette and the "+" picker list it: icon, label, one-line description. */
export function NodeTypeSummary({ type }: { type: NodeTypeView }) {
  return (
    <>
      <NodeIcon icon={type.icon} />
      <span>
        <strong>{type.label}</strong>
        <small>{type.description}</small>
      </span>
    </>
  );
}
