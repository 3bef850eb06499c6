//! The body pump shared by the front ends: a message read from an
//! `AsyncRead` piece by piece, each piece handed to the machine and sent
//! before the next is read, so memory stays bounded whatever the size.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};

use mailwire_core::machine::Machine;

use crate::Driver;

/// Why pumping stopped early.
#[derive(Debug)]
pub(crate) enum PumpError<E, P> {
    /// Reading the body failed.
    Read(std::io::Error),
    /// The machine refused a piece.
    Machine(E),
    /// Sending a piece failed.
    Send(crate::Error<P>),
}

/// Reads `body` to its end in pieces of `piece_len` octets, gives each to
/// `write` (say `send_body` or `send_message_chunk`) and flushes it before
/// reading the next. The caller ends the body (`finish_body`,
/// `finish_message`) once this returns `Ok`.
pub(crate) async fn pump<M, S, R, E>(
    driver: &mut Driver<M, S>,
    body: &mut R,
    piece_len: usize,
    mut write: impl FnMut(&mut M, &[u8]) -> Result<(), E>,
) -> Result<(), PumpError<E, M::Error>>
where
    M: Machine,
    S: AsyncRead + AsyncWrite + Unpin,
    R: AsyncRead + Unpin,
{
    let mut piece = vec![0; piece_len.max(1)];
    loop {
        let n = body.read(&mut piece).await.map_err(PumpError::Read)?;
        let Some(data) = piece.get(..n).filter(|d| !d.is_empty()) else {
            return Ok(());
        };
        write(driver.machine_mut(), data).map_err(PumpError::Machine)?;
        driver.flush().await.map_err(PumpError::Send)?;
    }
}
