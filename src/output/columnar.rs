//! `timeseries.parquet` (`--columnar`): the per-tick data of
//! `timeseries.csv` as a Parquet file, for batches whose CSV grows too big
//! to read comfortably. The same columns (scenario, replicate, tick, then
//! one per metric, in the CSV's order) and the same values: metrics are
//! 64-bit floats, exact (the CSV's shortest round-trip decimals read back to
//! these very numbers), null where the CSV is empty (a non-finite value),
//! and never a negative zero. Streamed: one row group per replicate, written
//! when the replicate arrives, so memory holds one replicate's columns.
//! Snappy-compressed; readable by pandas/pyarrow, polars and R's arrow.
//! The bytes depend only on the values (the writer's version is recorded
//! in the file, as Parquet requires, and no time), so a re-run is the same
//! file.

use std::io::{self, Write};
use std::sync::Arc;

use parquet::basic::{Compression, ConvertedType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::metrics::Series;

/// The file's name in an outputs folder.
pub const COLUMNAR_FILE: &str = "timeseries.parquet";

fn io_error(e: ParquetError) -> io::Error {
    io::Error::other(format!("{COLUMNAR_FILE}: {e}"))
}

/// Streams replicates' series into a Parquet file, a row group each.
pub struct ColumnarWriter<W: Write + Send> {
    scenario: ByteArray,
    file: SerializedFileWriter<W>,
    /// Definition levels and present values of one metric (reused).
    levels: Vec<i16>,
    values: Vec<f64>,
}

impl<W: Write + Send> ColumnarWriter<W> {
    /// Writes the file's header to `sink` for series with metrics `names`;
    /// every row will start with `scenario`.
    pub fn create(sink: W, scenario: &str, names: &[String]) -> io::Result<Self> {
        let required = |name: &str, t: Physical| {
            Type::primitive_type_builder(name, t)
                .with_repetition(Repetition::REQUIRED)
                .build()
                .map(Arc::new)
        };
        let mut fields = vec![
            Arc::new(
                Type::primitive_type_builder("scenario", Physical::BYTE_ARRAY)
                    .with_repetition(Repetition::REQUIRED)
                    .with_converted_type(ConvertedType::UTF8)
                    .build()
                    .map_err(io_error)?,
            ),
            required("replicate", Physical::INT64).map_err(io_error)?,
            required("tick", Physical::INT32).map_err(io_error)?,
        ];
        for name in names {
            fields.push(Arc::new(
                Type::primitive_type_builder(name, Physical::DOUBLE)
                    .with_repetition(Repetition::OPTIONAL)
                    .build()
                    .map_err(io_error)?,
            ));
        }
        let schema = Type::group_type_builder("stabsim_timeseries")
            .with_fields(fields)
            .build()
            .map_err(io_error)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let file =
            SerializedFileWriter::new(sink, Arc::new(schema), Arc::new(props)).map_err(io_error)?;
        Ok(Self {
            scenario: ByteArray::from(scenario),
            file,
            levels: Vec::new(),
            values: Vec::new(),
        })
    }

    /// Writes replicate `replicate`'s series as one row group.
    pub fn write_replicate(&mut self, replicate: u64, series: &Series) -> io::Result<()> {
        let rows = series.len();
        let mut group = self.file.next_row_group().map_err(io_error)?;
        let mut column = 0;
        while let Some(mut col) = group.next_column().map_err(io_error)? {
            match column {
                0 => {
                    let v = vec![self.scenario.clone(); rows];
                    col.typed::<ByteArrayType>().write_batch(&v, None, None)
                }
                1 => {
                    let v = vec![replicate as i64; rows];
                    col.typed::<Int64Type>().write_batch(&v, None, None)
                }
                2 => {
                    let v: Vec<i32> = (0..rows as i32).collect();
                    col.typed::<Int32Type>().write_batch(&v, None, None)
                }
                k => {
                    let m = k - 3;
                    self.levels.clear();
                    self.values.clear();
                    for t in 0..rows {
                        let v = series.row(t)[m];
                        let present = v.is_finite();
                        self.levels.push(i16::from(present));
                        if present {
                            // As the CSV: no negative zero.
                            self.values.push(if v == 0.0 { 0.0 } else { v });
                        }
                    }
                    col.typed::<DoubleType>()
                        .write_batch(&self.values, Some(&self.levels), None)
                }
            }
            .map_err(io_error)?;
            col.close().map_err(io_error)?;
            column += 1;
        }
        group.close().map_err(io_error)?;
        Ok(())
    }

    /// Writes the footer and hands back the sink.
    pub fn finish(self) -> io::Result<W> {
        self.file.into_inner().map_err(io_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Names;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    fn series(names: &Names, rows: &[[f64; 2]]) -> Series {
        let mut s = Series::new(names.clone(), rows.len() as u32 - 1);
        for r in rows {
            s.push_row(r);
        }
        s
    }

    #[test]
    fn values_read_back_exactly_with_nulls_for_non_finite() {
        let names: Names = vec!["a".to_string(), "troops:x".to_string()].into();
        let r0 = series(&names, &[[1.5, 0.1 + 0.2], [f64::NAN, -0.0]]);
        let r1 = series(&names, &[[1e300, f64::INFINITY], [-3.0, 7.0]]);
        let mut w = ColumnarWriter::create(Vec::new(), "sc", &names).unwrap();
        w.write_replicate(0, &r0).unwrap();
        w.write_replicate(1, &r1).unwrap();
        let bytes = w.finish().unwrap();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        assert_eq!(
            reader.metadata().num_row_groups(),
            2,
            "a row group per replicate"
        );
        let rows: Vec<Vec<Field>> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| {
                r.unwrap()
                    .get_column_iter()
                    .map(|(_, f)| f.clone())
                    .collect()
            })
            .collect();
        let d = Field::Double;
        let s = || Field::Str("sc".into());
        assert_eq!(
            rows,
            vec![
                vec![s(), Field::Long(0), Field::Int(0), d(1.5), d(0.1 + 0.2)],
                vec![s(), Field::Long(0), Field::Int(1), Field::Null, d(0.0)],
                vec![s(), Field::Long(1), Field::Int(0), d(1e300), Field::Null],
                vec![s(), Field::Long(1), Field::Int(1), d(-3.0), d(7.0)],
            ]
        );
        if let Field::Double(z) = rows[1][4] {
            assert!(z.is_sign_positive(), "no negative zero");
        }
    }
}
