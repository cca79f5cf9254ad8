"""Robot request workflow: choose the robot, read its inputs, ask for approval (interrupt), report."""
