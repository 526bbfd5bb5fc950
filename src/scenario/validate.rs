//! Range and consistency checks. (Placeholder; being implemented.)
