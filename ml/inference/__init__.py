"""What the site loads: an artifact read and verified, calibration applied, the verdict rules."""
