// The JUnit XML document both `check --format junit` and `test`/`verify --format junit` write:
// testsuites > testsuite (properties, testcases) > testcase (one failure, error, skipped or
// system-out). fast-xml-parser's builder writes and escapes it; the renderers only say what is in it.
import { XMLBuilder } from 'fast-xml-parser';

export type XmlAttributes = Readonly<Record<string, string | number | undefined>>;

/** What a testcase holds besides its attributes: a problem, a skip note or its output. */
export interface JunitChild {
  readonly tag: 'failure' | 'error' | 'skipped' | 'system-out';
  readonly attributes?: XmlAttributes;
  readonly text?: string;
}

export interface JunitTestCase {
  readonly attributes: XmlAttributes;
  readonly child?: JunitChild;
}

export interface JunitTestSuite {
  readonly attributes: XmlAttributes;
  readonly properties?: Readonly<Record<string, string>>;
  readonly cases: readonly JunitTestCase[];
}

/** XML 1.0 forbids these characters even escaped; the builder escapes the rest. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing the control characters XML forbids is the point.
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function clean(text: string): string {
  return text.replace(FORBIDDEN, '');
}

type XmlNode = Record<string, unknown>;

function attributesOf(values: XmlAttributes = {}): XmlNode {
  const node: XmlNode = {};
  for (const [key, value] of Object.entries(values))
    if (value !== undefined) node[`@_${key}`] = clean(String(value));
  return node;
}

function caseNode(testCase: JunitTestCase): XmlNode {
  const node = attributesOf(testCase.attributes);
  const child = testCase.child;
  if (child) {
    const inner = attributesOf(child.attributes);
    if (child.text !== undefined) inner['#text'] = clean(child.text);
    node[child.tag] = inner;
  }
  return node;
}

function suiteNode(suite: JunitTestSuite): XmlNode {
  const node = attributesOf(suite.attributes);
  const properties = Object.entries(suite.properties ?? {});
  if (properties.length > 0)
    node.properties = { property: properties.map(([name, value]) => attributesOf({ name, value })) };
  if (suite.cases.length > 0) node.testcase = suite.cases.map(caseNode);
  return node;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  // An attribute whose value is the text "true" keeps its value.
  suppressBooleanAttributes: false,
});

/** The document, with its XML declaration and a final newline. */
export function renderJunitXml(attributes: XmlAttributes, suites: readonly JunitTestSuite[]): string {
  const root = attributesOf(attributes);
  if (suites.length > 0) root.testsuite = suites.map(suiteNode);
  const body = builder.build({ testsuites: root }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body.trimEnd()}\n`;
}
