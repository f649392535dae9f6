import type { ReactNode } from 'react';

export type SideTab = 'node' | 'runs' | 'versions';

interface SidePanelProps {
  tab: SideTab;
  onTab: (tab: SideTab) => void;
  runCount: number;
  node: ReactNode;
  runs: ReactNode;
  versions: ReactNode;
}

/** The editor's right-hand panel: the selected node, the live runs, the version history. */
export function SidePanel({ tab, onTab, runCount, node, runs, versions }: SidePanelProps) {
  const tabs: Array<{ id: SideTab; label: string }> = [
    { id: 'node', label: 'Node' },
    { id: 'runs', label: `Runs (${runCount})` },
    { id: 'versions', label: 'Versions' },
  ];
  const content = { node, runs, versions }[tab];
  return (
    <aside className="side">
      <div role="tablist" aria-label="Side panel">
        {tabs.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            aria-selected={tab === item.id}
            onClick={() => onTab(item.id)}
          >
            {item.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={tabs.find((item) => item.id === tab)?.label.split(' ')[0]}>
        {content}
      </div>
    </aside>
  );
}
