import { avroToIonPlugin, ionToAvroPlugin } from "./avro";
import { csvToIonPlugin, ionToCsvPlugin } from "./csv";
import { excelToIonPlugin, ionToExcelPlugin } from "./excel";
import { ionToJsonPlugin, jsonToIonPlugin } from "./json";
import { ionToParquetPlugin, parquetToIonPlugin } from "./parquet";

/** Kestra's plugin-serdes: streaming conversions between file formats and ION, the row format of flows. */
export const serdesPlugins = [
  csvToIonPlugin,
  ionToCsvPlugin,
  jsonToIonPlugin,
  ionToJsonPlugin,
  ionToExcelPlugin,
  excelToIonPlugin,
  ionToAvroPlugin,
  avroToIonPlugin,
  ionToParquetPlugin,
  parquetToIonPlugin,
];
