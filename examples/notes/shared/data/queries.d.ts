import type { NotesDb } from './db.js';
import type { View } from './view.js';

declare function documentsOf(
  db: NotesDb,
  a: {
    view: View;
    search: string;
  },
): Omit<
  import('drizzle-orm/sqlite-core').SQLiteSelectBase<
    'documents',
    'async',
    import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
    {
      id: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: true;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      title: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: false;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      content: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: false;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      projectId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: false;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      deviceId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: true;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: true;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: true;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: true;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: false;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
    },
    'single',
    Record<'documents', 'not-null'>,
    false,
    'where' | 'orderBy',
    {
      id: string;
      title: string | null;
      content: string;
      ownerId: string | null;
      projectId: string | null;
      deviceId: string;
      createdAt: string;
      updatedAt: string;
      deletedAt: string | null;
    }[],
    {
      id: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: true;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      title: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: false;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      content: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: false;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      projectId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: false;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      deviceId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: true;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: true;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: true;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: true;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'documents';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: false;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
    }
  >,
  'where' | 'orderBy'
>;
/** The queries, each `(db, args) => Drizzle select`. */
export declare const QUERIES: {
  /** Live projects by name. */
  projects: (db: NotesDb) => Omit<
    import('drizzle-orm/sqlite-core').SQLiteSelectBase<
      'projects',
      'async',
      import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
      {
        id: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: true;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        name: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        isDefault: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'boolean';
            columnType: 'SQLiteBoolean';
            data: boolean;
            driverParam: number;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: undefined;
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            $type: boolean;
          }
        >;
        createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
      },
      'single',
      Record<'projects', 'not-null'>,
      false,
      'where' | 'orderBy',
      {
        id: string;
        name: string;
        ownerId: string | null;
        isDefault: boolean;
        createdAt: string;
        updatedAt: string;
        deletedAt: string | null;
      }[],
      {
        id: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: true;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        name: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        isDefault: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'boolean';
            columnType: 'SQLiteBoolean';
            data: boolean;
            driverParam: number;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: undefined;
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            $type: boolean;
          }
        >;
        createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'projects';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
      }
    >,
    'where' | 'orderBy'
  >;
  /** Live groups by name (arranged as a tree by `groupTree`). */
  groups: (db: NotesDb) => Omit<
    import('drizzle-orm/sqlite-core').SQLiteSelectBase<
      'groups',
      'async',
      import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
      {
        id: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: true;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        name: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        color: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
      },
      'single',
      Record<'groups', 'not-null'>,
      false,
      'where' | 'orderBy',
      {
        id: string;
        name: string;
        ownerId: string | null;
        color: string | null;
        createdAt: string;
        updatedAt: string;
        deletedAt: string | null;
      }[],
      {
        id: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: true;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        name: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        color: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
      }
    >,
    'where' | 'orderBy'
  >;
  /** Parent → child links between groups. */
  groupLinks: (db: NotesDb) => import('drizzle-orm/sqlite-core').SQLiteSelectBase<
    'group_hierarchy',
    'async',
    import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
    {
      id: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'group_hierarchy';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: true;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      parentGroupId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'group_hierarchy';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      childGroupId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'group_hierarchy';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'group_hierarchy';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: false;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'group_hierarchy';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: true;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: true;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
    },
    'single',
    Record<'group_hierarchy', 'not-null'>,
    false,
    never,
    {
      id: string;
      parentGroupId: string;
      childGroupId: string;
      ownerId: string | null;
      createdAt: string;
    }[],
    {
      id: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'group_hierarchy';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: true;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      parentGroupId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'group_hierarchy';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      childGroupId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'group_hierarchy';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'group_hierarchy';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: false;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'group_hierarchy';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: true;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: true;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
    }
  >;
  /** Documents not in the trash, counted per project id (null = none). */
  projectCounts: (db: NotesDb) => Omit<
    import('drizzle-orm/sqlite-core').SQLiteSelectBase<
      'documents',
      'async',
      import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
      {
        projectId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        n: import('drizzle-orm').SQL<number>;
      },
      'partial',
      Record<'documents', 'not-null'>,
      false,
      'where' | 'groupBy',
      {
        projectId: string | null;
        n: number;
      }[],
      {
        projectId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        n: import('drizzle-orm').DrizzleTypeError<'You cannot reference this field without assigning it an alias first - use `.as(<alias>)`'>;
      }
    >,
    'where' | 'groupBy'
  >;
  /** The documents of a view, most recently edited first, optionally filtered by a search text. */
  documents: typeof documentsOf;
  /** One document (trashed or not). */
  document: (
    db: NotesDb,
    a: {
      id: string;
    },
  ) => Omit<
    import('drizzle-orm/sqlite-core').SQLiteSelectBase<
      'documents',
      'async',
      import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
      {
        id: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: true;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        title: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        content: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        projectId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        deviceId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
      },
      'single',
      Record<'documents', 'not-null'>,
      false,
      'where',
      {
        id: string;
        title: string | null;
        content: string;
        ownerId: string | null;
        projectId: string | null;
        deviceId: string;
        createdAt: string;
        updatedAt: string;
        deletedAt: string | null;
      }[],
      {
        id: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: true;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        title: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        content: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        projectId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        deviceId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'documents';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
      }
    >,
    'where'
  >;
  /** A document's saved versions, newest first. */
  versions: (
    db: NotesDb,
    a: {
      documentId: string;
    },
  ) => Omit<
    import('drizzle-orm/sqlite-core').SQLiteSelectBase<
      'document_versions',
      'async',
      import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
      {
        id: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: true;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        documentId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        title: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        content: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        version: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'number';
            columnType: 'SQLiteInteger';
            data: number;
            driverParam: number;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: undefined;
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            $type: number;
          }
        >;
        deviceId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
      },
      'single',
      Record<'document_versions', 'not-null'>,
      false,
      'where' | 'orderBy',
      {
        id: string;
        documentId: string;
        ownerId: string | null;
        title: string | null;
        content: string;
        version: number;
        deviceId: string | null;
        createdAt: string;
      }[],
      {
        id: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: true;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        documentId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        title: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        content: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        version: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'number';
            columnType: 'SQLiteInteger';
            data: number;
            driverParam: number;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: undefined;
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            $type: number;
          }
        >;
        deviceId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: false;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: true;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: true;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
      }
    >,
    'where' | 'orderBy'
  >;
  /** The group ids of one document. */
  documentGroupIds: (
    db: NotesDb,
    a: {
      documentId: string;
    },
  ) => Omit<
    import('drizzle-orm/sqlite-core').SQLiteSelectBase<
      'document_groups',
      'async',
      import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
      {
        groupId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
      },
      'partial',
      Record<'document_groups', 'not-null'>,
      false,
      'where',
      {
        groupId: string;
      }[],
      {
        groupId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_groups';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
      }
    >,
    'where'
  >;
  /** Every document ⇄ group link (the list's colour dots). */
  documentGroupLinks: (db: NotesDb) => import('drizzle-orm/sqlite-core').SQLiteSelectBase<
    'document_groups',
    'async',
    import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
    {
      documentId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'document_groups';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      groupId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'document_groups';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
    },
    'partial',
    Record<'document_groups', 'not-null'>,
    false,
    never,
    {
      documentId: string;
      groupId: string;
    }[],
    {
      documentId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'document_groups';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
      groupId: import('drizzle-orm/sqlite-core').SQLiteColumn<
        {
          name: string;
          tableName: 'document_groups';
          dataType: 'string';
          columnType: 'SQLiteText';
          data: string;
          driverParam: string;
          notNull: true;
          hasDefault: false;
          isPrimaryKey: false;
          isAutoincrement: false;
          hasRuntimeDefault: false;
          enumValues: [string, ...string[]];
          baseColumn: never;
          identity: undefined;
          generated: undefined;
        },
        {},
        {
          length: number | undefined;
          $type: string;
        }
      >;
    }
  >;
  /** Saved versions per document (the mobile list shows "3 versions"). */
  versionCounts: (db: NotesDb) => Omit<
    import('drizzle-orm/sqlite-core').SQLiteSelectBase<
      'document_versions',
      'async',
      import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
      {
        documentId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        n: import('drizzle-orm').SQL<number>;
      },
      'partial',
      Record<'document_versions', 'not-null'>,
      false,
      'groupBy',
      {
        documentId: string;
        n: number;
      }[],
      {
        documentId: import('drizzle-orm/sqlite-core').SQLiteColumn<
          {
            name: string;
            tableName: 'document_versions';
            dataType: 'string';
            columnType: 'SQLiteText';
            data: string;
            driverParam: string;
            notNull: true;
            hasDefault: false;
            isPrimaryKey: false;
            isAutoincrement: false;
            hasRuntimeDefault: false;
            enumValues: [string, ...string[]];
            baseColumn: never;
            identity: undefined;
            generated: undefined;
          },
          {},
          {
            length: number | undefined;
            $type: string;
          }
        >;
        n: import('drizzle-orm').DrizzleTypeError<'You cannot reference this field without assigning it an alias first - use `.as(<alias>)`'>;
      }
    >,
    'groupBy'
  >;
};
export type QueryName = keyof typeof QUERIES;
/** The arguments of a query (`undefined` for those without). */
export type QueryArgs<K extends QueryName> = Parameters<(typeof QUERIES)[K]>[1];
/** One row of a query's result. */
export type QueryRow<K extends QueryName> = Awaited<ReturnType<(typeof QUERIES)[K]>>[number];
/**
 * Checks a query name and its arguments from an untrusted sender (the Electron renderer) and builds the
 * query: `CLIENT_USAGE` for anything else.
 *
 * @example
 * const query = buildQuery(db, 'documents', { view: { kind: 'all' }, search: '' });
 */
export declare function buildQuery(
  db: NotesDb,
  name: unknown,
  args: unknown,
):
  | Omit<
      import('drizzle-orm/sqlite-core').SQLiteSelectBase<
        'documents',
        'async',
        import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
        {
          id: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: true;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          title: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          content: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          projectId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          deviceId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
        },
        'single',
        Record<'documents', 'not-null'>,
        false,
        'where' | 'orderBy',
        {
          id: string;
          title: string | null;
          content: string;
          ownerId: string | null;
          projectId: string | null;
          deviceId: string;
          createdAt: string;
          updatedAt: string;
          deletedAt: string | null;
        }[],
        {
          id: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: true;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          title: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          content: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          projectId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          deviceId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'documents';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
        }
      >,
      'where' | 'orderBy'
    >
  | Omit<
      import('drizzle-orm/sqlite-core').SQLiteSelectBase<
        'projects',
        'async',
        import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
        {
          id: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: true;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          name: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          isDefault: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'boolean';
              columnType: 'SQLiteBoolean';
              data: boolean;
              driverParam: number;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: undefined;
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              $type: boolean;
            }
          >;
          createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
        },
        'single',
        Record<'projects', 'not-null'>,
        false,
        'where' | 'orderBy',
        {
          id: string;
          name: string;
          ownerId: string | null;
          isDefault: boolean;
          createdAt: string;
          updatedAt: string;
          deletedAt: string | null;
        }[],
        {
          id: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: true;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          name: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          isDefault: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'boolean';
              columnType: 'SQLiteBoolean';
              data: boolean;
              driverParam: number;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: undefined;
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              $type: boolean;
            }
          >;
          createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          updatedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          deletedAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'projects';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
        }
      >,
      'where' | 'orderBy'
    >
  | Omit<
      import('drizzle-orm/sqlite-core').SQLiteSelectBase<
        'document_versions',
        'async',
        import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
        {
          id: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: true;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          documentId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          title: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          content: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          version: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'number';
              columnType: 'SQLiteInteger';
              data: number;
              driverParam: number;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: undefined;
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              $type: number;
            }
          >;
          deviceId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
        },
        'single',
        Record<'document_versions', 'not-null'>,
        false,
        'where' | 'orderBy',
        {
          id: string;
          documentId: string;
          ownerId: string | null;
          title: string | null;
          content: string;
          version: number;
          deviceId: string | null;
          createdAt: string;
        }[],
        {
          id: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: true;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          documentId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          ownerId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          title: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          content: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          version: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'number';
              columnType: 'SQLiteInteger';
              data: number;
              driverParam: number;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: undefined;
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              $type: number;
            }
          >;
          deviceId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: false;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
          createdAt: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_versions';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: true;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: true;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
        }
      >,
      'where' | 'orderBy'
    >
  | Omit<
      import('drizzle-orm/sqlite-core').SQLiteSelectBase<
        'document_groups',
        'async',
        import('@powersync/common').QueryResult<import('@powersync/common').SqliteRecord>,
        {
          groupId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_groups';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
        },
        'partial',
        Record<'document_groups', 'not-null'>,
        false,
        'where',
        {
          groupId: string;
        }[],
        {
          groupId: import('drizzle-orm/sqlite-core').SQLiteColumn<
            {
              name: string;
              tableName: 'document_groups';
              dataType: 'string';
              columnType: 'SQLiteText';
              data: string;
              driverParam: string;
              notNull: true;
              hasDefault: false;
              isPrimaryKey: false;
              isAutoincrement: false;
              hasRuntimeDefault: false;
              enumValues: [string, ...string[]];
              baseColumn: never;
              identity: undefined;
              generated: undefined;
            },
            {},
            {
              length: number | undefined;
              $type: string;
            }
          >;
        }
      >,
      'where'
    >;
