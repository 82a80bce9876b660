// The Postgres structure Prisma's own migrations would create for a schema, derived from the
// DMMF (getDMMF runs Prisma's schema parser as wasm: no engine download).

// Default import: the package is CommonJS, and Node (unlike vitest) cannot name its exports.
import prismaInternals from "@prisma/internals";
import type { Datamodel, DmmfEnum, DmmfField, DmmfIndex, DmmfModel } from "./dmmf-types";
import { ACTION_BY_PRISMA_NAME, normalizeType, quoteIdent, scalarType } from "./postgres-spelling";
import { expectedDefault } from "./prisma-defaults";
import { foreignKeyName, normalIndexName, primaryKeyName, uniqueIndexName } from "./prisma-names";
import type {
  ColumnShape,
  ForeignKeyShape,
  IndexShape,
  ReferentialAction,
  SchemaShape,
  TableShape,
} from "./schema-shape";

// Schema features the DMMF does not describe: deriving a structure without them would report
// false differences, so we refuse and say what to extend.
const INEXPRESSIBLE: readonly [RegExp, string][] = [
  [/@relation\([^)]*\bmap\s*:/, "foreign key names set with @relation(map: ...)"],
  [/\bUnsupported\s*\(/, "Unsupported(...) fields (the DMMF leaves them out)"],
  [/relationMode\s*=\s*"prisma"/, 'relationMode = "prisma" (no foreign keys)'],
  [/^\s*view\s+\w+\s*\{/m, "views"],
];

export async function expectedSchemaFromPrisma(schemaText: string): Promise<SchemaShape> {
  const code = schemaText.replace(/\/\/.*$/gm, "");
  for (const [pattern, feature] of INEXPRESSIBLE) {
    if (pattern.test(code)) throw new Error(`schema-agreement does not support ${feature} yet`);
  }
  const { datamodel } = await prismaInternals.getDMMF({ datamodel: schemaText });
  return {
    tables: datamodel.models.map((model) => tableOf(model, datamodel)),
    enums: datamodel.enums.map((enumDef) => ({
      name: enumDef.dbName ?? enumDef.name,
      values: enumDef.values.map((value) => value.dbName ?? value.name),
    })),
  };
}

const tableName = (model: DmmfModel) => model.dbName ?? model.name;

function columnNames(model: DmmfModel, fieldNames: readonly string[]): string[] {
  return fieldNames.map((fieldName) => {
    const field = model.fields.find((candidate) => candidate.name === fieldName);
    if (!field) throw new Error(`${model.name} has no field ${fieldName}`);
    return field.dbName ?? field.name;
  });
}

function modelNamed(datamodel: Datamodel, name: string): DmmfModel {
  const model = datamodel.models.find((candidate) => candidate.name === name);
  if (!model) throw new Error(`The schema has no model ${name}`);
  return model;
}

function tableOf(model: DmmfModel, datamodel: Datamodel): TableShape {
  if (model.schema && model.schema !== "public") {
    throw new Error(`schema-agreement only compares the public schema, not ${model.schema}`);
  }
  const table = tableName(model);
  const indexes = datamodel.indexes.filter((index) => index.model === model.name);
  const id = indexes.find((index) => index.type === "id");
  const idColumns = id
    ? columnNames(
        model,
        id.fields.map((field) => field.name),
      )
    : [];
  return {
    name: table,
    columns: model.fields
      .filter((field) => field.kind === "scalar" || field.kind === "enum")
      .map((field) => columnOf(field, table, datamodel.enums)),
    primaryKey: id ? { name: id.dbName ?? primaryKeyName(table), columns: idColumns } : null,
    indexes: indexes
      .filter((index) => index.type !== "id")
      .map((index) => indexOf(index, model, table)),
    foreignKeys: model.fields.flatMap((field) => foreignKeysOf(field, model, datamodel)),
  };
}

function columnOf(field: DmmfField, table: string, enums: readonly DmmfEnum[]): ColumnShape {
  const column = field.dbName ?? field.name;
  const enumDef = field.kind === "enum" ? enums.find((e) => e.name === field.type) : undefined;
  const elementType = enumDef
    ? quoteIdent(enumDef.dbName ?? enumDef.name)
    : scalarType(field.type, field.nativeType);
  const enumValues = enumDef
    ? new Map(enumDef.values.map((value) => [value.name, value.dbName ?? value.name]))
    : undefined;
  return {
    name: column,
    type: normalizeType(field.isList ? `${elementType}[]` : elementType),
    // Prisma creates scalar lists without NOT NULL, even though the client treats them as required.
    nullable: field.isList || !field.isRequired,
    default: expectedDefault(field, { table, column, elementType, enumValues }),
  };
}

const INDEX_METHODS: Record<string, string> = {
  BTree: "btree",
  Hash: "hash",
  Gist: "gist",
  Gin: "gin",
  SpGist: "spgist",
  Brin: "brin",
};

function indexOf(index: DmmfIndex, model: DmmfModel, table: string): IndexShape {
  if (index.type === "fulltext") throw new Error(`${model.name}: fulltext indexes are MySQL-only`);
  const names = columnNames(
    model,
    index.fields.map((field) => field.name),
  );
  const unique = index.type === "unique";
  const defaultName = unique ? uniqueIndexName(table, names) : normalIndexName(table, names);
  return {
    name: index.dbName ?? defaultName,
    // Operator classes (`ops:`) are not compared: both sides would need pg_opclass defaults.
    columns: names.map((name, i) =>
      index.fields[i]?.sortOrder === "desc" ? `${name} DESC` : name,
    ),
    unique,
    method: index.algorithm ? (INDEX_METHODS[index.algorithm] ?? index.algorithm) : "btree",
    where: null,
  };
}

function foreignKeysOf(field: DmmfField, model: DmmfModel, datamodel: Datamodel) {
  if (field.kind !== "object") return [];
  const target = modelNamed(datamodel, field.type);
  if (!field.relationFromFields?.length) {
    // `other !== field`: in a self-relation both ends are fields of the same model.
    const back = target.fields.find(
      (other) => other.relationName === field.relationName && other !== field,
    );
    if (field.isList && back?.isList) {
      throw new Error(`schema-agreement does not support implicit many-to-many (${model.name})`);
    }
    return [];
  }
  const columns = columnNames(model, field.relationFromFields);
  // Prisma's defaults when the relation does not say.
  const onDelete: ReferentialAction = field.relationOnDelete
    ? actionNamed(field.relationOnDelete)
    : field.isRequired
      ? "RESTRICT"
      : "SET NULL";
  const foreignKey: ForeignKeyShape = {
    name: foreignKeyName(tableName(model), columns),
    columns,
    referencedTable: tableName(target),
    referencedColumns: columnNames(target, field.relationToFields ?? []),
    onDelete,
    onUpdate: field.relationOnUpdate ? actionNamed(field.relationOnUpdate) : "CASCADE",
  };
  return [foreignKey];
}

function actionNamed(prismaName: string): ReferentialAction {
  const action = ACTION_BY_PRISMA_NAME[prismaName];
  if (!action) throw new Error(`Unknown referential action ${prismaName}`);
  return action;
}
